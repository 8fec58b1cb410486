/**
 * What core relies on in openapi-fetch, checked against the installed version: if an upgrade
 * changes any of it, this fails before a client silently loses per-call options, body bytes or
 * headers. Only documented options are used (see src/openapi-fetch-adapter.ts).
 */
import { describe, expect, it } from "vitest";
import { createRawClient, sendInit, type Transport } from "../src/openapi-fetch-adapter.js";
import { LightRequest } from "../src/light-request.js";

interface Paths {
  "/items/{id}": {
    parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
    post: {
      parameters: { query?: { q?: string[] }; header?: { "X-Job-UUID"?: string }; path: { id: string }; cookie?: never };
      requestBody: { content: { "application/json": { name: string } } };
      responses: { 200: { headers: Record<string, unknown>; content: { "application/json": { ok: boolean } } } };
    };
  };
}

function recorder(
  answer: () => Response | object = () => new Response('{"ok":true}', { status: 200, headers: { "content-type": "application/json" } }),
) {
  const seen: Array<{ request: LightRequest; call: Parameters<Transport>[1] }> = [];
  const transport: Transport = async (request, call) => {
    seen.push({ request, call });
    return answer() as Response;
  };
  return { seen, transport };
}

describe("openapi-fetch contract", () => {
  it("builds our LightRequest (the documented Request option), not a WHATWG Request", async () => {
    const { seen, transport } = recorder();
    const raw = createRawClient<Paths>("http://127.0.0.1:9/base", transport);
    await raw.POST("/items/{id}", { params: { path: { id: "a b" } }, body: { name: "x" } });
    expect(seen[0]!.request).toBeInstanceOf(LightRequest);
    expect(seen[0]!.request.url).toBe("http://127.0.0.1:9/base/items/a%20b");
    expect(seen[0]!.request.method).toBe("POST");
    expect(seen[0]!.call).toBeUndefined(); // a .raw call: the client-level fetch, no call context
  });

  it("a per-request fetch (sendInit) replaces the client's and carries the call's context", async () => {
    const { seen, transport } = recorder();
    const raw = createRawClient<Paths>("http://127.0.0.1:9", transport);
    const call = { operation: "postItem", deadline: 123, timeoutMs: 5, headers: { "x-call": "1" } };
    await raw.POST("/items/{id}", { params: { path: { id: "1" } }, body: { name: "x" }, ...sendInit(transport, call, '{"name":"x"}') });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.call).toBe(call);
  });

  it("sends exactly the bytes the per-request bodySerializer returns, with JSON content type", async () => {
    const { seen, transport } = recorder();
    const raw = createRawClient<Paths>("http://127.0.0.1:9", transport);
    const validated = '{"name":"validated"}';
    await raw.POST("/items/{id}", {
      params: { path: { id: "1" } },
      body: { name: "something else" },
      ...sendInit(transport, { operation: "p" }, validated),
    });
    expect(seen[0]!.request.body).toBe(validated);
    expect(seen[0]!.request.headers.get("content-type")).toBe("application/json");
  });

  it("passes header parameters, per-request headers, the query serializer and the signal through", async () => {
    const { seen, transport } = recorder();
    const raw = createRawClient<Paths>("http://127.0.0.1:9", transport);
    const controller = new AbortController();
    await raw.POST("/items/{id}", {
      params: { path: { id: "1" }, header: { "X-Job-UUID": "job-1" }, query: { q: ["a=1", "b=2"] } },
      headers: { "X-Extra": "e" },
      body: { name: "x" },
      querySerializer: (q) => (q.q as string[]).map((v) => `q=${encodeURIComponent(v)}`).join("&"),
      ...sendInit(transport, { operation: "p", signal: controller.signal }, '{"name":"x"}'),
    });
    const req = seen[0]!.request;
    expect(req.headers.get("x-job-uuid")).toBe("job-1");
    expect(req.headers.get("x-extra")).toBe("e");
    expect(req.url).toBe("http://127.0.0.1:9/items/1?q=a%3D1&q=b%3D2");
    expect(req.signal).toBe(controller.signal);
  });

  it("with parseAs stream, returns the transport's answer object untouched and reads no body", async () => {
    const light = { status: 200, statusText: "OK", ok: true, headers: new Headers(), body: null };
    const { transport } = recorder(() => light);
    const raw = createRawClient<Paths>("http://127.0.0.1:9", transport);
    const result = await raw.POST("/items/{id}", {
      params: { path: { id: "1" } },
      body: { name: "x" },
      ...sendInit(transport, { operation: "p" }, "{}"),
    });
    expect(result.response).toBe(light);
    expect(result.data).toBeNull();
  });

  it("reads an error answer's body itself (which is why the transport gives error answers a real Response)", async () => {
    const { transport } = recorder(() => new Response('{"code":"E"}', { status: 400 }));
    const raw = createRawClient<Paths>("http://127.0.0.1:9", transport);
    const result = await raw.POST("/items/{id}", {
      params: { path: { id: "1" } },
      body: { name: "x" },
      ...sendInit(transport, { operation: "p" }, "{}"),
    });
    expect(result.error).toEqual({ code: "E" });
  });
});
