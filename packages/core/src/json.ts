/** Reading vendor JSON bodies, whose shape is not trusted until checked. */

export type JsonObject = Record<string, unknown>;

/** A JSON object (not null, not an array). */
export const isJsonObject = (v: unknown): v is JsonObject => v !== null && typeof v === "object" && !Array.isArray(v);

/** `v` when it is a JSON object, else undefined: for optional chaining over untrusted bodies. */
export const asJsonObject = (v: unknown): JsonObject | undefined => (isJsonObject(v) ? v : undefined);

/** A string with its surrounding whitespace trimmed, or undefined when not a string or blank (vendors pad codes: " NOTICE.0004"). */
export const trimmedText = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);
