import { defaultRedactor, type Redactor } from "./redact.js";

export type LogLevel = "debug" | "info" | "warn" | "error" | "off";

/** Anything with these methods: `console`, pino, winston, a test recorder. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, off: 99 };

/**
 * The logger signalbridge writes through: drops lines below `level` before building them and
 * redacts every line, so a caller's logger never sees a secret.
 */
export interface LevelledLogger {
  readonly level: LogLevel;
  enabled(level: Exclude<LogLevel, "off">): boolean;
  log(level: Exclude<LogLevel, "off">, message: string, fields?: Record<string, unknown>): void;
}

/** `redactor`: the client's, so that its secrets are scrubbed from its lines (default: the process-wide one). */
export function createLevelledLogger(
  logger: Logger | undefined,
  level: LogLevel | undefined,
  redactor: Redactor = defaultRedactor,
): LevelledLogger {
  const sink: Logger = logger ?? console;
  const threshold = RANK[level ?? "warn"];
  return {
    level: level ?? "warn",
    enabled: (l) => RANK[l] >= threshold,
    log(l, message, fields) {
      if (RANK[l] < threshold) return;
      const safeFields = fields === undefined ? undefined : (redactor.redactValue(fields) as Record<string, unknown>);
      const line = `[signalbridge] ${redactor.scrubText(message)}`;
      if (safeFields === undefined) sink[l](line);
      else sink[l](line, safeFields);
    },
  };
}
