import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { openJournal, type DeliveryJournal } from "../src/index.js";

/** Set by .ci/run (packages/journal/scripts/test-postgres.sh); without it the PostgreSQL tests are skipped, saying why. */
export const POSTGRES_URL = process.env.SIGNALBRIDGE_TEST_POSTGRES_URL;
export const POSTGRES_SKIP_REASON =
  "PostgreSQL engine: skipped, SIGNALBRIDGE_TEST_POSTGRES_URL is not set (.ci/run sets it; or run packages/journal/scripts/test-postgres.sh)";
if (!POSTGRES_URL) console.warn(POSTGRES_SKIP_REASON);

export interface Engine {
  name: "sqlite" | "postgres";
  available: boolean;
  /** A journal that shares its record with every other `open()` of this engine in this test. */
  open(): Promise<DeliveryJournal>;
  /** Where the record lives: a file path or the URL. */
  target: string;
  cleanup(): void;
}

export function sqliteEngine(): Engine {
  const dir = mkdtempSync(join(tmpdir(), "sb-journal-"));
  const file = join(dir, "deliveries.db");
  return {
    name: "sqlite",
    available: true,
    target: file,
    open: () => openJournal({ file }),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function postgresEngine(): Engine {
  const url = POSTGRES_URL ?? "";
  return {
    name: "postgres",
    available: Boolean(POSTGRES_URL),
    target: url,
    open: () => openJournal({ postgres: url }),
    cleanup: () => undefined,
  };
}

/** A delivery key no earlier run used (PostgreSQL keeps records between runs). */
export const freshKey = (label: string) => `${label}-${randomUUID()}`;
