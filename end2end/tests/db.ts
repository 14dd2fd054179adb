import { execFileSync } from "node:child_process";
import * as path from "node:path";

/** The server's SQLite file (see playwright.config.ts). */
export function dbPath(): string {
  const dir = process.env.E2E_DATA_DIR;
  if (!dir) throw new Error("E2E_DATA_DIR is not set: run the suite through playwright.config.ts");
  return path.join(dir, "e2e.db");
}

/**
 * Runs a read-only query with Debian's sqlite3 CLI against the live database
 * (WAL mode lets it read beside the server) and returns the rows as objects.
 */
export function query<T = Record<string, unknown>>(sql: string): T[] {
  const out = execFileSync("sqlite3", ["-readonly", "-json", dbPath(), sql], {
    encoding: "utf8",
  });
  return out.trim() ? (JSON.parse(out) as T[]) : [];
}

/** The whole database as SQL text (every table, every row). */
export function dump(): string {
  return execFileSync("sqlite3", ["-readonly", dbPath(), ".dump"], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
}
