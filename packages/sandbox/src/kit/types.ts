import type { SandboxClock } from "./clock.js";
import type { SpecIndex } from "./spec.js";
/** The contract between the shared sandbox kit and each vendor simulator. */

/** One way a request breaks its operation's spec (an Ajv error, with where it sits). */
export interface SpecViolation {
  /** Which part of the request: path, query or header parameters, or the body. */
  in: "path" | "query" | "header" | "body";
  /** JSON pointer inside that part ("/title", "/rules/0/messageRule"); "" for the part itself. */
  pointer: string;
  /** The JSON Schema keyword that failed: required, type, maxLength, … */
  keyword: string;
  params: Record<string, unknown>;
}

/** A request as a simulator sees it: parsed, matched to a spec operation and checked against it. */
export interface SimRequest {
  /** The spec operation this method + path matches; undefined for an unknown path or method. */
  operationId: string | undefined;
  /** True when the path exists in the spec but not for this method. */
  wrongMethod: boolean;
  method: string;
  /** The path without the vendor's base path (e.g. without "/zstack"), still percent-encoded; the whole path when outside it. */
  path: string;
  /** True when the vendor has a base path and this request is not under it (e.g. `/v1/...` on ZStack). */
  outsideBasePath: boolean;
  /** Path parameters, percent-decoded. */
  pathParams: Record<string, string>;
  query: URLSearchParams;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  rawBody: string;
  /** Parsed by content type (JSON or form); undefined when empty or unparsable. */
  body: unknown;
  /** "invalid-json" when the body claimed or looked like JSON and did not parse. */
  bodyError: "invalid-json" | undefined;
  /** Spec violations of this request (empty when valid or when no operation matched). */
  violations: SpecViolation[];
  /** Epoch ms when the request arrived, by the simulator's clock. */
  now: number;
}

export interface SimReply {
  status: number;
  headers?: Record<string, string>;
  /** A string is sent as text/plain (unless headers say otherwise); anything else as JSON. */
  body?: unknown;
}

/** A vendor's behaviour: auth, state, errors. One per vendor, in `src/<vendor>/simulator.ts`. */
export interface VendorSimulator {
  readonly vendor: "zstack" | "eiam" | "enos";
  /** File name under specs/, e.g. "zstack.yaml". */
  readonly specFile: string;
  /** The simulator's own index of that spec (it reads its limits from it); the kit builds one if absent. */
  readonly spec?: SpecIndex;
  /** The clock `request.now` is read from (default: real time). */
  readonly clock?: SandboxClock;
  /** Prefix the vendor serves under ("/zstack" for ZStack, "" otherwise). */
  readonly basePath: string;
  /** Every request comes here, including unknown paths, wrong methods and spec violations. */
  handle(request: SimRequest): SimReply | Promise<SimReply>;
  /** The vendor's answer to a body over the size limit. */
  tooLarge(request: SimRequest): SimReply;
  /** What the inspection API shows as state. */
  state(): unknown;
  /** Forget all state (back to the seeded fixtures). */
  reset(): void;
  /** Make every issued token/session expired now (fault injection). */
  expireTokens(): void;
  /** Called once when the server knows its own origin (for absolute URLs such as job locations). */
  listening?(origin: string): void;
}

/** A fault to inject. All fields optional; see README "Faults". */
export interface FaultSpec {
  /** Only requests of this operationId (default: any request of this vendor). */
  operation?: string;
  /** Only the Nth matching request counted from when the fault was added (1-based). */
  nth?: number;
  /** How many requests it affects at most. Default 1 when `nth` is set, else unlimited. */
  times?: number;
  /** Wait this long before handling. */
  latencyMs?: number;
  /** Answer with this HTTP status instead of the simulator's answer. */
  status?: number;
  /** Retry-After header for `status` (e.g. "1" or an HTTP date). */
  retryAfter?: string;
  /** Body for `status` (default: a short plain-text reason). */
  body?: string;
  /** drop: close the connection without an answer; malformed-json / html: replace the body. */
  action?: "drop" | "malformed-json" | "html";
  /**
   * Apply after the simulator processed the request (its side effects happen, the answer is lost
   * or replaced): the dangerous case for non-idempotent sends. Default: before (not processed).
   */
  after?: boolean;
  /** Expire every token/session before handling the request. */
  expireTokens?: boolean;
}

/** What the inspection API records of each request. */
export interface RecordedRequest {
  at: number;
  method: string;
  path: string;
  operationId: string | undefined;
  status: number | "dropped";
  fault?: number;
}
