/**
 * The control plane under `/__sandbox/`: inspection, faults, reset. It can change what every
 * client of the sandbox sees, so it answers only a caller that shows this run's control token,
 * and it never sends CORS headers: a page on another origin can neither read it nor (lacking the
 * token) make it do anything. The vendor endpoints keep their CORS: browsers are meant to call them.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { FaultList } from "./faults.js";
import type { FaultSpec, RecordedRequest, SimReply, VendorSimulator } from "./types.js";

export const CONTROL_PREFIX = "/__sandbox";
/** The request header that carries the control token (a `token` query parameter works too, for a browser's address bar). */
export const CONTROL_TOKEN_HEADER = "x-sandbox-token";

/** A fresh per-run token: 192 random bits, URL-safe. */
export function newControlToken(): string {
  return randomBytes(24).toString("base64url");
}

const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();

/** Undefined when the request carries `token`; otherwise the 401/403 to answer (which never echoes what was sent). */
export function refuseWithoutToken(token: string, headerValue: string | undefined, query: URLSearchParams): SimReply | undefined {
  const given = headerValue ?? query.get("token") ?? undefined;
  const how = `send this run's control token in the ${CONTROL_TOKEN_HEADER} header (or ?token=); the CLI prints it, startSandbox() returns it as sandbox.controlToken`;
  if (given === undefined || given === "") return { status: 401, body: { error: `the sandbox control plane needs a token: ${how}` } };
  if (!timingSafeEqual(digest(given), digest(token))) return { status: 403, body: { error: `wrong sandbox control token: ${how}` } };
  return undefined;
}

export interface ControlTarget {
  simulator: VendorSimulator;
  faults: FaultList;
  requests: RecordedRequest[];
  reset(): void;
}

/** One control request (already authorised). `what` is the path after the prefix, without query. */
export function control(target: ControlTarget, method: string, what: string, text: string): SimReply {
  try {
    if (method === "GET" && what === "/requests") return { status: 200, body: target.requests };
    if (method === "GET" && what === "/state") return { status: 200, body: target.simulator.state() ?? null };
    if (method === "GET" && what === "/faults") return { status: 200, body: target.faults.list() };
    if (method === "POST" && what === "/faults")
      return { status: 201, body: { id: target.faults.add(JSON.parse(text || "{}") as FaultSpec) } };
    if (method === "DELETE" && what === "/faults") {
      target.faults.clear();
      return { status: 204 };
    }
    if (method === "POST" && what === "/reset") {
      target.reset();
      return { status: 204 };
    }
    if (method === "POST" && what === "/expire-tokens") {
      target.simulator.expireTokens();
      return { status: 204 };
    }
  } catch (error) {
    return { status: 400, body: { error: error instanceof Error ? error.message : String(error) } };
  }
  return {
    status: 404,
    body: {
      error: `unknown control endpoint ${method} ${what}`,
      endpoints: ["GET /requests", "GET /state", "GET|POST|DELETE /faults", "POST /reset", "POST /expire-tokens"],
    },
  };
}
