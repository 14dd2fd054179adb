import { defineConfig } from "@playwright/test";
import * as os from "node:os";
import * as path from "node:path";
import * as fs from "node:fs";

// The release build (`cargo leptos build --release`) served on its own port with a
// throwaway database, so the suite never touches ./data.
const PORT = Number(process.env.E2E_PORT ?? 3917);
// The config is loaded again in each worker process: reuse the folder the main
// process made (workers inherit its environment), so tests can read the server's
// database (`E2E_DATA_DIR/e2e.db`, see tests/db.ts).
const dataDir =
  process.env.E2E_DATA_DIR ??
  (process.env.E2E_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "ats-e2e-")));

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: "chromium",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  // The server's log goes to `E2E_DATA_DIR/server.log`; the global teardown
  // fails the run if it shows a panic.
  globalTeardown: "./global-teardown.ts",
  webServer: {
    command: `exec ../target/release/ats-scorer serve --listen 127.0.0.1:${PORT} --site-root ../target/site >> "${dataDir}/server.log" 2>&1`,
    url: `http://127.0.0.1:${PORT}/ready`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      DATABASE_URL: `sqlite://${dataDir}/e2e.db`,
      LOG_LEVEL: "info",
    },
  },
});
