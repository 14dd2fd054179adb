import * as fs from "node:fs";
import * as path from "node:path";

/**
 * After the suite: the server's log (stdout and stderr, see
 * playwright.config.ts) must show no panic, neither a request handler's
 * ("handler panicked", answered as a JSON 500) nor one nothing caught
 * ("thread '…' panicked at …").
 */
export default async function globalTeardown() {
  const dir = process.env.E2E_DATA_DIR;
  if (!dir) throw new Error("E2E_DATA_DIR is not set: playwright.config.ts sets it");
  const file = path.join(dir, "server.log");
  const log = fs.readFileSync(file, "utf8");
  if (!log.includes("listening")) {
    throw new Error(`the server's log ${file} is missing its "listening" line`);
  }
  const panics = log.split("\n").filter((line) => line.includes("panicked"));
  if (panics.length > 0) {
    throw new Error(`the server panicked during the suite (${file}):\n${panics.slice(0, 5).join("\n")}`);
  }
}
