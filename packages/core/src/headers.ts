import { ValidationError, type Violation } from "./errors.js";

// RFC 9110 field names are tokens; values may hold visible ASCII, Latin-1, spaces and tabs. A CR
// or LF would end the header (request splitting), and fetch throws a TypeError at send time on
// anything else, which would surface as "may have reached the server" instead of "bad input".
const FIELD_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** Why a header cannot be sent, or undefined when it can. The value itself is never quoted. */
export function headerViolation(name: string, value: unknown, where = "header"): Violation | undefined {
  if (typeof name !== "string" || !FIELD_NAME.test(name)) {
    return {
      path: `${where}.${String(name)}`,
      rule: "headerName",
      message: `${where} name ${JSON.stringify(String(name))}: must be an HTTP token (letters, digits and !#$%&'*+.^_\`|~-)`,
    };
  }
  if (typeof value === "number" || typeof value === "boolean") value = String(value);
  if (typeof value !== "string") {
    return {
      path: `${where}.${name}`,
      rule: "type",
      message: `${where}.${name}: must be a string (got ${value === null ? "null" : typeof value})`,
    };
  }
  if (!FIELD_VALUE.test(value)) {
    return {
      path: `${where}.${name}`,
      rule: "headerValue",
      message: `${where}.${name}: must not contain CR, LF, NUL, other control characters or characters above U+00FF`,
    };
  }
  return undefined;
}

/** Headers as callers pass them; `null` removes a header set by an earlier layer. */
export type HeaderLayer = HeaderMap | Headers | Readonly<Record<string, string | null | undefined>> | undefined;

/**
 * Request headers with case-insensitive names: setting `Authorization` replaces `authorization`
 * instead of standing beside it (fetch would comma-join the two). Every value is checked when it
 * is set, so a header that could not be sent fails as a ValidationError before anything leaves.
 */
export class HeaderMap {
  readonly #entries = new Map<string, { name: string; value: string }>();

  constructor(...layers: HeaderLayer[]) {
    for (const layer of layers) this.merge(layer);
  }

  set(name: string, value: string): this {
    const violation = headerViolation(name, value);
    if (violation) throw new ValidationError([violation]);
    this.#entries.set(name.toLowerCase(), { name, value });
    return this;
  }

  get(name: string): string | undefined {
    return this.#entries.get(name.toLowerCase())?.value;
  }

  has(name: string): boolean {
    return this.#entries.has(name.toLowerCase());
  }

  delete(name: string): void {
    this.#entries.delete(name.toLowerCase());
  }

  /** Later layers win, whatever the case of the names. */
  merge(layer: HeaderLayer): this {
    if (layer === undefined || layer === null) return this;
    if (layer instanceof HeaderMap) {
      for (const [key, entry] of layer.#entries) this.#entries.set(key, entry);
    } else if (typeof Headers !== "undefined" && layer instanceof Headers) {
      layer.forEach((value, name) => this.set(name, value));
    } else {
      for (const [name, value] of Object.entries(layer)) {
        if (value === undefined) continue;
        if (value === null) this.delete(name);
        else this.set(name, value);
      }
    }
    return this;
  }

  /** A plain object for fetch, one key per header. */
  toRecord(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const { name, value } of this.#entries.values()) out[name] = value;
    return out;
  }

  *[Symbol.iterator](): IterableIterator<[string, string]> {
    for (const { name, value } of this.#entries.values()) yield [name, value];
  }
}

/** Every violation in a caller's header object (for errors that name all of them at once). */
export function headerViolations(headers: Readonly<Record<string, unknown>> | undefined, where = "header"): Violation[] {
  if (!headers || typeof headers !== "object") return [];
  const out: Violation[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || value === null) continue;
    const v = headerViolation(name, value, where);
    if (v) out.push(v);
  }
  return out;
}
