/**
 * Every hostile-server rule must hold on each transport the client can run on: fetch (browsers,
 * Deno, Bun, a caller's own fetch) and undici (picked on Node when the caller names none). The
 * tests in this folder run once per entry; `transport` is spread into each client's options.
 */
import type { CommonClientOptions } from "@signalbridge/core";

type TransportOption = Pick<CommonClientOptions, "fetch">;

export const TRANSPORTS: ReadonlyArray<readonly [string, TransportOption]> = [
  // Passing a fetch is how a caller opts out of the Node transport.
  ["fetch", { fetch: (input, init) => globalThis.fetch(input, init) }],
  // Nothing passed: the client's own choice, undici on Node (transport-choice.test.ts proves it).
  ["undici", {}],
];
