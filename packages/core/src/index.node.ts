/**
 * The Node entry of @signalbridge/core (the "node" export condition): everything of index.ts, with
 * `createApiClient` defaulting to the undici transport. Browsers, Deno and Bun resolve index.ts,
 * so undici never enters their bundles.
 */
import { createApiClient as createApiClientOn, type ApiClient, type CreateApiClientOptions } from "./client.js";
import type { OperationTable } from "./operations.js";
import { defaultNodeSender } from "./node/default.js";

export * from "./index.js";

/** As in index.ts, but on Node a call without `fetch` or `sender` goes through undici. */
export function createApiClient<Paths extends {}, Ops extends OperationTable = OperationTable>(
  config: CreateApiClientOptions<Ops>,
): ApiClient<Paths, Ops> {
  return createApiClientOn<Paths, Ops>(config, defaultNodeSender);
}
