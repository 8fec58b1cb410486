/// <reference types="node" />
import type { HttpSender } from "../wire.js";
import { undiciSender } from "./undici-sender.js";

let shared: HttpSender | undefined;

/**
 * The sender of clients that named no transport: one for the process, so all clients share its
 * per-origin keep-alive pools. Undefined (fetch) on Bun and Deno, should they load the Node entry:
 * their fetch is their native, fast path.
 */
export function defaultNodeSender(): HttpSender | undefined {
  if ("Bun" in globalThis || "Deno" in globalThis) return undefined;
  return (shared ??= undiciSender());
}
