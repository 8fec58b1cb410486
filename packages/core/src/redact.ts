/**
 * Redaction: secrets never reach an error, a log line or a serialized error.
 *
 * Two nets, because either alone leaks: keys that name a secret (password, token, signature,
 * Authorization, and names vendors add) are masked wherever they appear, and the secret *values*
 * auth code hands over (a password, a session uuid, a token) are scrubbed from any free text, such
 * as a URL path that carries a session uuid or a vendor message that echoes a token back.
 *
 * Each client owns a `Redactor` (core's createApiClient makes it; the vendor's auth, errors and
 * logger use it), so that one client's secrets are scrubbed from that client's output only: a
 * password "wrong" masks nothing in another vendor's "wrong password". Within its client a
 * secret can neither age out nor be outrun:
 * - configured credentials are pinned for the client's whole life, whatever their length;
 * - a renewed token replaces its predecessor in a named slot: the current value of every slot is
 *   never evicted, only superseded tokens (and transient values such as a session handed to
 *   `logOut`) age out of a bounded set, oldest first; request signatures, replayable while fresh,
 *   are kept in a bounded set of their own, so a burst of requests cannot age tokens out;
 * - the percent-encoded (either hex case, even double-encoded, or a form body's "+" for a space)
 *   and JSON-escaped forms of every secret are found: the escapes of a text are decoded one by one
 *   into a view that maps each character back to its source, never the text as a whole, so a
 *   stray `%` or a malformed escape elsewhere in it cannot switch the scrub off;
 * - `redactValue` walks any depth without recursion (a hostile server's 100 000-deep JSON neither
 *   escapes a depth cut-off nor overflows the stack) and is cycle-safe.
 */
export const REDACTED = "[redacted]";
/** What a reference back to an enclosing object becomes in a redacted copy. */
export const CIRCULAR = "[circular]";

const SECRET_KEY = /pass(word)?|secret|token|signature|encryption|authorization|cookie|session_?uuid|session_?id|credential|private/i;

/**
 * Secrets shorter than this are scrubbed only where they stand as a whole word (no letter or digit
 * on either side): masking every "ab" inside ordinary words would make the client's messages
 * unreadable and, in plain sight of the surrounding text, would not hide the secret anyway.
 */
const SHORT_SECRET = 4;

/** How many superseded tokens and transient values one client remembers. */
const DEFAULT_MAX_SUPERSEDED = 64;
/** How many per-request credentials (signatures) one client remembers: its last requests'. */
const DEFAULT_MAX_SIGNATURES = 128;

interface Compiled {
  /** Every secret literally (and with its spaces as "+", as a form body writes them), longest first. */
  re: RegExp;
  /** The shortest secret's length: a shorter text holds none, in any form (no encoding shortens text). */
  shortest: number;
}

export interface RedactorOptions {
  /** Whose secrets these are, for messages about the redactor itself. */
  owner?: string;
  /** Also scrub what this redactor knows (the process-wide one; default: it). `null`: none. */
  parent?: Redactor | null;
  /** How many superseded tokens and transient values to remember. Default 64. */
  maxSuperseded?: number;
  /** How many per-request signatures to remember. Default 128. */
  maxSignatures?: number;
}

/** The secrets of one client and the scrubbing that uses them. */
export class Redactor {
  // Private fields: util.inspect and JSON.stringify of a redactor show none of its secrets.
  readonly #pinned = new Set<string>();
  readonly #slots = new Map<string, string>();
  readonly #superseded = new Set<string>();
  readonly #signatures = new Set<string>();
  readonly #keys: RegExp[] = [];
  readonly #parent: Redactor | undefined;
  readonly #maxSuperseded: number;
  readonly #maxSignatures: number;
  #version = 0;
  #compiled: { version: number; parentVersion: number; value: Compiled | undefined } | undefined;
  readonly owner: string;

  constructor(options: RedactorOptions = {}) {
    this.owner = options.owner ?? "process";
    this.#parent = options.parent === null ? undefined : (options.parent ?? defaultRedactor);
    this.#maxSuperseded = options.maxSuperseded ?? DEFAULT_MAX_SUPERSEDED;
    this.#maxSignatures = options.maxSignatures ?? DEFAULT_MAX_SIGNATURES;
  }

  /** A configured credential (password, client secret, app secret, given token): scrubbed for this redactor's whole life. */
  pin(value: string | undefined | null): void {
    if (!isSecretText(value) || this.#pinned.has(value)) return;
    this.#pinned.add(value);
    this.#superseded.delete(value);
    this.#changed();
  }

  /**
   * A renewed credential: `value` is now the current token of `slot` ("session", "access_token").
   * It is never evicted while it is current; the value it replaces joins the superseded ones.
   */
  rotate(slot: string, value: string | undefined | null): void {
    if (!isSecretText(value)) return;
    const previous = this.#slots.get(slot);
    if (previous === value) return;
    this.#slots.set(slot, value);
    this.#superseded.delete(value);
    if (previous !== undefined) this.#supersede(previous);
    this.#changed();
  }

  /** A transient secret (a session uuid passed to one call): remembered among the superseded ones. */
  remember(value: string | undefined | null): void {
    if (!isSecretText(value)) return;
    const known = this.#isHeld(value);
    this.#supersede(value); // a value seen again becomes the newest, the last to age out
    if (!known) this.#changed();
  }

  /**
   * A per-request credential (a request signature, a token request's one-time `encryption`):
   * replayable while its timestamp is fresh, so hidden like a token. Kept among the last ones
   * apart from the superseded tokens, so that a burst of requests cannot age those out.
   */
  signature(value: string | undefined | null): void {
    // Signatures are long (a hash, an HMAC): a short value here would be a mistake, not a signature.
    if (!isSecretText(value) || value.length < 16 || this.#signatures.has(value)) return;
    this.#signatures.add(value);
    while (this.#signatures.size > this.#maxSignatures) this.#signatures.delete(this.#signatures.values().next().value as string);
  }

  /** Mask every key or header matching `pattern` too (a vendor's own credential headers). */
  addSecretKey(pattern: RegExp): void {
    if (!this.#keys.some((re) => re.source === pattern.source && re.flags === pattern.flags)) this.#keys.push(pattern);
  }

  isSecretKey(key: string): boolean {
    return SECRET_KEY.test(key) || this.#keys.some((re) => re.test(key)) || (this.#parent?.isSecretKey(key) ?? false);
  }

  /** Replace every secret this redactor (or its parent) knows, in any encoded form, inside a text. */
  scrubText(text: string): string {
    if (typeof text !== "string" || text === "") return text;
    const compiled = this.#pattern();
    const signatures = this.#allSignatures();
    const re = compiled && text.length >= compiled.shortest ? compiled.re : undefined;
    const withSignatures = signatures.size > 0 && text.length >= this.#shortestSignature(signatures);
    if (!re && !withSignatures) return text;
    const encoded = ENCODED.test(text);
    if (!encoded && !withSignatures) return text.replace(re!, REDACTED);
    return scrubSpans(text, encoded, (view, found) => {
      if (re) {
        re.lastIndex = 0;
        for (const m of view.matchAll(re)) found(m.index, m.index + m[0].length);
      }
      // Signatures change with every request: looked up with indexOf instead of recompiling a
      // pattern each time (they are long random strings, never a short word).
      if (withSignatures) {
        for (const sig of signatures) {
          for (let at = view.indexOf(sig); at >= 0; at = view.indexOf(sig, at + 1)) found(at, at + sig.length);
        }
      }
    });
  }

  /**
   * A deep copy with secret-named keys masked and secret values scrubbed from every string (keys
   * included), at any depth. A reference back to an enclosing object becomes "[circular]"; an
   * Error stays an Error of the same class, with message, stack, cause and fields redacted.
   */
  redactValue(value: unknown): unknown {
    let result: unknown;
    const copies = new Map<object, unknown>();
    const open = new Set<object>();
    type Task = { value: unknown; secretKey: boolean; put: (v: unknown) => void } | { leave: object };
    const tasks: Task[] = [{ value, secretKey: false, put: (v) => (result = v) }];
    while (tasks.length > 0) {
      const task = tasks.pop()!;
      if ("leave" in task) {
        open.delete(task.leave);
        continue;
      }
      const { value: v, put } = task;
      if (task.secretKey && v !== null && v !== undefined && v !== "") {
        put(REDACTED);
        continue;
      }
      if (typeof v === "string") {
        put(this.scrubText(v));
        continue;
      }
      if (v === null || typeof v !== "object") {
        put(v);
        continue;
      }
      if (open.has(v)) {
        put(CIRCULAR);
        continue;
      }
      if (copies.has(v)) {
        put(copies.get(v));
        continue;
      }
      const shape = this.#shallow(v);
      copies.set(v, shape.copy);
      put(shape.copy);
      if (shape.children.length === 0) continue;
      open.add(v);
      tasks.push({ leave: v });
      for (let i = shape.children.length - 1; i >= 0; i--) tasks.push(shape.children[i]!);
    }
    return result;
  }

  /** Headers as a plain object with secret headers masked and secret values scrubbed, for logs. */
  redactHeaders(headers: Record<string, string> | Headers): Record<string, string> {
    const out: Record<string, string> = {};
    const entries = typeof Headers !== "undefined" && headers instanceof Headers ? headers.entries() : Object.entries(headers);
    for (const [key, v] of entries) out[this.scrubText(key)] = this.isSecretKey(key) ? REDACTED : this.scrubText(v);
    return out;
  }

  /** Whether a value would be scrubbed now (for tests and diagnostics; never exposes the values). */
  knows(value: string): boolean {
    return this.#isHeld(value) || (this.#parent?.knows(value) ?? false);
  }

  #isHeld(value: string): boolean {
    if (this.#pinned.has(value) || this.#superseded.has(value) || this.#signatures.has(value)) return true;
    for (const v of this.#slots.values()) if (v === value) return true;
    return false;
  }

  #supersede(value: string): void {
    if (this.#pinned.has(value)) return;
    for (const v of this.#slots.values()) if (v === value) return;
    this.#superseded.delete(value);
    this.#superseded.add(value);
    while (this.#superseded.size > this.#maxSuperseded) this.#superseded.delete(this.#superseded.values().next().value as string);
  }

  #changed(): void {
    this.#version++;
  }

  /** Every secret value this redactor scrubs, its own and its parent's. */
  #values(): Set<string> {
    const all = new Set<string>(this.#parent ? this.#parent.#values() : []);
    for (const v of this.#pinned) all.add(v);
    for (const v of this.#slots.values()) all.add(v);
    for (const v of this.#superseded) all.add(v);
    return all;
  }

  #allSignatures(): Set<string> {
    const parent = this.#parent ? this.#parent.#allSignatures() : undefined;
    return parent && parent.size > 0 ? new Set([...parent, ...this.#signatures]) : this.#signatures;
  }

  #shortestSignature(signatures: Set<string>): number {
    let min = Infinity;
    for (const s of signatures) if (s.length < min) min = s.length;
    return min;
  }

  #pattern(): Compiled | undefined {
    const parentVersion = this.#parent ? this.#parent.#totalVersion() : 0;
    if (this.#compiled && this.#compiled.version === this.#version && this.#compiled.parentVersion === parentVersion) {
      return this.#compiled.value;
    }
    const values = [...this.#values()].sort((a, b) => b.length - a.length);
    const value = values.length === 0 ? undefined : compile(values);
    this.#compiled = { version: this.#version, parentVersion, value };
    return value;
  }

  #totalVersion(): number {
    return this.#version + (this.#parent ? this.#parent.#totalVersion() : 0);
  }

  /** A container for the copy of `v` and the tasks that fill it. */
  #shallow(v: object): { copy: unknown; children: Array<{ value: unknown; secretKey: boolean; put: (out: unknown) => void }> } {
    type Child = { value: unknown; secretKey: boolean; put: (out: unknown) => void };
    const children: Child[] = [];
    if (Array.isArray(v)) {
      const copy: unknown[] = new Array(v.length);
      for (let i = 0; i < v.length; i++) children.push({ value: v[i], secretKey: false, put: (out) => (copy[i] = out) });
      return { copy, children };
    }
    if (v instanceof Date || v instanceof RegExp) return { copy: v, children };
    if (typeof URL !== "undefined" && v instanceof URL) return { copy: this.scrubText(v.href), children };
    if (typeof Headers !== "undefined" && v instanceof Headers) return { copy: this.redactHeaders(v), children };
    if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return { copy: `[${(v as ArrayBuffer).byteLength} bytes]`, children };
    if (v instanceof Map) {
      const copy = new Map<unknown, unknown>();
      for (const [k, value] of v) {
        const key = typeof k === "string" ? this.scrubText(k) : k;
        children.push({ value, secretKey: typeof k === "string" && this.isSecretKey(k), put: (out) => copy.set(key, out) });
      }
      return { copy, children };
    }
    if (v instanceof Set) {
      const copy = new Set<unknown>();
      for (const value of v) children.push({ value, secretKey: false, put: (out) => copy.add(out) });
      return { copy, children };
    }
    if (v instanceof Error) {
      // The same class (instanceof, util.inspect's error rendering), without running its
      // constructor. A platform error (DOMException) keeps its fields in internal slots that its
      // prototype's getters read: its copy is a plain Error.
      const platform = typeof DOMException !== "undefined" && v instanceof DOMException;
      const copy = Object.create(platform ? Error.prototype : (Object.getPrototypeOf(v) as object)) as Record<string, unknown>;
      for (const key of ["name", "message"]) {
        if (Object.hasOwn(v, key)) continue;
        let text: unknown;
        try {
          text = (v as unknown as Record<string, unknown>)[key];
        } catch {
          text = undefined;
        }
        // Own, so that reading it never runs a getter of the original's class on the copy.
        if (typeof text === "string")
          Object.defineProperty(copy, key, { value: this.scrubText(text), enumerable: false, writable: true, configurable: true });
      }
      for (const key of Object.getOwnPropertyNames(v)) {
        const d = Object.getOwnPropertyDescriptor(v, key)!;
        const put = (out: unknown) =>
          Object.defineProperty(copy, key === "__proto__" ? key : this.scrubText(key), {
            value: out,
            enumerable: d.enumerable ?? false,
            writable: true,
            configurable: true,
          });
        if (!("value" in d)) {
          put(undefined);
          continue;
        }
        // message and stack are text the vendor and the runtime wrote: scrub, never mask by key.
        const secretKey = key !== "message" && key !== "stack" && this.isSecretKey(key);
        children.push({ value: d.value, secretKey, put });
      }
      return { copy, children };
    }
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(v)) {
      let value: unknown;
      try {
        value = (v as Record<string, unknown>)[key];
      } catch {
        value = "[unreadable]";
      }
      // defineProperty: a JSON "__proto__" key stays a key instead of replacing the copy's prototype.
      const outKey = this.scrubText(key);
      const put =
        outKey === "__proto__"
          ? (out: unknown) => Object.defineProperty(copy, outKey, { value: out, enumerable: true, writable: true, configurable: true })
          : (out: unknown) => (copy[outKey] = out);
      children.push({ value, secretKey: this.isSecretKey(key), put });
    }
    return { copy, children };
  }
}

function isSecretText(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "";
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

function wholeWord(pattern: string, value: string): string {
  return value.length < SHORT_SECRET ? `(?<![\\p{L}\\p{N}])${pattern}(?![\\p{L}\\p{N}])` : pattern;
}

function compile(values: string[]): Compiled {
  const forms = new Set<string>();
  for (const v of values) {
    forms.add(v);
    if (v.includes(" ")) forms.add(v.replaceAll(" ", "+")); // application/x-www-form-urlencoded
  }
  const sorted = [...forms].sort((a, b) => b.length - a.length);
  return {
    re: new RegExp(sorted.map((v) => wholeWord(escapeRegExp(v), v)).join("|"), "gu"),
    shortest: sorted[sorted.length - 1]!.length,
  };
}

/** A text may hold an encoded form of a secret only where it has a percent escape or a backslash escape. */
const ENCODED = /%[0-9A-Fa-f]{2}|\\[u"\\/bfnrt]/;

/**
 * A text with its percent escapes (`%2F`, `%2f`, UTF-8 sequences) and JSON escapes (`\u00e9`,
 * `\"`, `\/`) decoded one by one, each character of the view knowing the span of the original
 * text it came from. A stray `%`, a malformed escape or invalid UTF-8 stays as it is and leaves
 * the rest of the text decoded: nothing in the text can switch the decoding off.
 */
interface View {
  text: string;
  /** For each UTF-16 unit of `text`: where its source starts and ends in the original text. */
  from: Int32Array;
  to: Int32Array;
}

const HEX = /^[0-9A-Fa-f]$/;
const JSON_ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

function utf8Length(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

function decodeOnce(text: string, source: View | undefined): View | undefined {
  const n = text.length;
  const from = new Int32Array(n);
  const to = new Int32Array(n);
  let out = "";
  let k = 0;
  let changed = false;
  const push = (chars: string, start: number, end: number) => {
    const a = source ? source.from[start]! : start;
    const b = source ? source.to[end - 1]! : end;
    for (let c = 0; c < chars.length; c++, k++) {
      from[k] = a;
      to[k] = b;
    }
    out += chars;
  };
  const byteAt = (i: number) =>
    text[i] === "%" && i + 2 < n && HEX.test(text[i + 1] ?? "") && HEX.test(text[i + 2] ?? "")
      ? parseInt(text.slice(i + 1, i + 3), 16)
      : -1;
  let i = 0;
  while (i < n) {
    const ch = text[i]!;
    if (ch === "%") {
      const lead = byteAt(i);
      const length = lead < 0 ? 0 : utf8Length(lead);
      if (length > 0) {
        let code = length === 1 ? lead : lead & (0xff >> (length + 1));
        let ok = true;
        for (let b = 1; b < length && ok; b++) {
          const next = byteAt(i + 3 * b);
          ok = next >= 0x80 && next <= 0xbf;
          code = (code << 6) | (next & 0x3f);
        }
        if (ok && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff)) {
          push(String.fromCodePoint(code), i, i + 3 * length);
          i += 3 * length;
          changed = true;
          continue;
        }
      }
    } else if (ch === "\\" && i + 1 < n) {
      const next = text[i + 1]!;
      if (next === "u" && i + 5 < n && /^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6))) {
        push(String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16)), i, i + 6);
        i += 6;
        changed = true;
        continue;
      }
      const short = JSON_ESCAPES[next];
      if (short !== undefined) {
        push(short, i, i + 2);
        i += 2;
        changed = true;
        continue;
      }
    }
    push(ch, i, i + 1);
    i++;
  }
  if (!changed) return undefined;
  return { text: out, from: from.subarray(0, k), to: to.subarray(0, k) };
}

/**
 * Scrub a text: the secrets are looked for (`find`) in the text itself and, when it holds escapes, in its
 * decoded views (once, and twice for a URL encoded twice), and every span of the original text
 * that a match came from is replaced.
 */
function scrubSpans(text: string, encoded: boolean, find: (view: string, found: (start: number, end: number) => void) => void): string {
  const spans: Array<[number, number]> = [];
  const collect = (view: string, map: View | undefined) =>
    find(view, (start, end) => spans.push(map ? [map.from[start]!, map.to[end - 1]!] : [start, end]));
  collect(text, undefined);
  let view: View | undefined;
  for (let pass = 0; encoded && pass < 2; pass++) {
    view = decodeOnce(view ? view.text : text, view);
    if (!view) break;
    collect(view.text, view);
    if (!ENCODED.test(view.text)) break;
  }
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let out = "";
  let at = 0;
  for (const [start, end] of spans) {
    if (end <= at) continue;
    out += text.slice(at, Math.max(at, start)) + (start >= at ? REDACTED : "");
    at = end;
  }
  return out + text.slice(at);
}

/**
 * The process-wide redactor: the parent of every client's, so that what is registered here is
 * scrubbed by all clients. signalbridge's own clients register nothing here (each client's
 * secrets stay its own); it is for values an application wants hidden everywhere.
 */
export const defaultRedactor: Redactor = new Redactor({ owner: "process", parent: null, maxSuperseded: 512 });

/** Remember a secret value so that every client scrubs it from all text signalbridge emits. */
export function registerSecret(value: string | undefined | null): void {
  defaultRedactor.remember(value);
}

/** Mask every key or header matching `pattern` in every client's output. */
export function registerSecretKey(pattern: RegExp): void {
  defaultRedactor.addSecretKey(pattern);
}

export function isSecretKey(key: string): boolean {
  return defaultRedactor.isSecretKey(key);
}

/** Scrub the process-wide secrets (`registerSecret`) from a text. A client's own: `redactor.scrubText`. */
export function scrubText(text: string): string {
  return defaultRedactor.scrubText(text);
}

/** A deep copy redacted with the process-wide redactor. A client's own: `redactor.redactValue`. */
export function redactValue(value: unknown): unknown {
  return defaultRedactor.redactValue(value);
}

/** Headers redacted with the process-wide redactor, for logs. */
export function redactHeaders(headers: Record<string, string> | Headers): Record<string, string> {
  return defaultRedactor.redactHeaders(headers);
}
