/**
 * Crash-safe delivery journals for signalbridge bulk sends.
 *
 *   const journal = await openJournal({ file: "./deliveries.db" });          // embedded, one process
 *   const journal = await openJournal({ postgres: "postgres://…" });         // any number of workers
 *   await eiam.sendInSiteNoticeInBatches(request, { journal, deliveryKey: "alarm-2026-12-04" });
 *   await journal.status("alarm-2026-12-04");
 *   await journal.close();
 */
import { JournalError, type DeliveryJournal } from "@signalbridge/core";
import type { PostgresJournalOptions } from "./postgres.js";
import type { SqliteJournalOptions } from "./sqlite.js";

export type OpenJournalOptions = SqliteJournalOptions | PostgresJournalOptions;

/** Open (creating when needed) a journal; fails at once, naming the file or the URL (password masked), when it cannot be used. */
export async function openJournal(options: OpenJournalOptions): Promise<DeliveryJournal> {
  const o = (options ?? {}) as Partial<SqliteJournalOptions & PostgresJournalOptions>;
  if (o.file !== undefined && o.postgres !== undefined) {
    throw new JournalError("open", String(o.file), "openJournal: pass either file or postgres, not both");
  }
  // Each engine's driver is loaded only when it is used: a file journal never loads pg, and back.
  if (o.postgres !== undefined) return (await import("./postgres.js")).openPostgresJournal(options as PostgresJournalOptions);
  if (o.file !== undefined) return (await import("./sqlite.js")).openSqliteJournal(options as SqliteJournalOptions);
  throw new JournalError(
    "open",
    "",
    'openJournal: pass { file: "./deliveries.db" } (embedded) or { postgres: "postgres://…" } (shared by workers)',
  );
}

export type { SqliteJournalOptions, PostgresJournalOptions };
export { redactUrl } from "./location.js";
export {
  JournalError,
  isJournalError,
  type DeliveryJournal,
  type DeliveryPlan,
  type DeliveryRecord,
  type JournalBatchRecord,
  type JournalBatchState,
  type JournalClaim,
  type Settlement,
} from "@signalbridge/core";
