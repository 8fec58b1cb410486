import { afterEach, describe, expect, it } from "vitest";
import { refusedUrl, startTestServer, type TestServer } from "@signalbridge/testkit";
import {
  ApiError,
  NetworkError,
  ResponseShapeError,
  TimeoutError,
  ValidationError,
  createApiClient,
  type ApiClient,
  type CommonClientOptions,
  type Exchange,
  type TransportHooks,
} from "../src/index.js";
import { operations, silent, type TestPaths } from "./support.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const errors = {
  fromResponse: (ex: Exchange) =>
    new ApiError({
      vendor: "test",
      operation: ex.operation.id,
      status: ex.status,
      code: (ex.body as { code?: string } | undefined)?.code,
      message: ex.isJson ? "vendor said no" : ex.text,
      requestId: ex.requestId,
      body: ex.body,
      redactor: ex.redactor,
    }),
};

function client(baseUrl: string, options: Partial<CommonClientOptions> = {}, hooks?: (api: ApiClient<any>) => TransportHooks) {
  const api = createApiClient<TestPaths>({
    vendor: "test",
    operations,
    errors,
    options: { baseUrl, logger: silent, retry: { initialDelayMs: 5, maxDelayMs: 20 }, ...options },
    ...(hooks ? { hooks } : {}),
  });
  return {
    api,
    send: (body: Record<string, unknown>, call?: Parameters<typeof api.invoke>[3]) =>
      api.invoke<{ id: string }>("sendNotice", { body }, (init) => api.raw.POST("/notices", { body, ...init }), call),
    get: (id: string, call?: Parameters<typeof api.invoke>[3]) =>
      api.invoke<{ status: string }>(
        "getNotice",
        { path: { id } },
        (init) => api.raw.GET("/notices/{id}", { params: { path: { id } }, ...init }),
        call,
      ),
  };
}

const valid = { title: "hello", kind: "TEXT" };

describe("transport: what goes over the wire", () => {
  it("sends the JSON body, method, path and merged headers, and returns the parsed body", async () => {
    server = await startTestServer(() => ({ body: { id: "n1" }, headers: { "x-request-id": "rq-1" } }));
    const { send } = client(server.url, { headers: { "x-client": "sb" } });
    await expect(send(valid, { headers: { "x-call": "1" } })).resolves.toEqual({ id: "n1" });
    const [req] = server.requests;
    expect(req!.method).toBe("POST");
    expect(req!.pathname).toBe("/notices");
    expect(req!.json()).toEqual(valid);
    expect(req!.headers["content-type"]).toBe("application/json");
    expect(req!.headers["x-client"]).toBe("sb");
    expect(req!.headers["x-call"]).toBe("1");
  });

  it("turns a non-2xx answer into the vendor's ApiError with status, code and request id", async () => {
    server = await startTestServer(() => ({ status: 400, body: { code: "E.1" }, headers: { "x-request-id": "rq-9" } }));
    const err = await client(server.url)
      .send(valid)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ kind: "api", status: 400, code: "E.1", requestId: "rq-9", attempts: undefined });
  });

  it("throws ResponseShapeError for an HTML success page and for a body that breaks the spec", async () => {
    server = await startTestServer((_r, i) =>
      i === 0 ? { body: "<html>proxy</html>", headers: { "content-type": "text/html" } } : { body: { notId: 1 } },
    );
    const { send } = client(server.url);
    await expect(send(valid)).rejects.toThrow(/not JSON \(an HTML page\)/);
    const err = await send(valid).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseShapeError);
    expect((err as ResponseShapeError).violations[0]).toMatchObject({ path: "id", rule: "required" });
  });

  it("accepts a non-conforming success body when validateResponses is false", async () => {
    server = await startTestServer(() => ({ body: { notId: 1 } }));
    await expect(client(server.url, { validateResponses: false }).send(valid)).resolves.toEqual({ notId: 1 });
  });
});

describe("transport: validation happens before sending", () => {
  it("rejects bad input with every violation named, and sends nothing", async () => {
    server = await startTestServer(() => ({ body: { id: "x" } }));
    const err = await client(server.url)
      .send({ title: "x".repeat(12), kind: "text", users: ["a", "b", "c"], colour: 1 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    const messages = (err as ValidationError).violations.map((v) => v.message);
    expect(messages).toContain("body.title: must be at most 10 characters (got 12 characters)");
    expect(messages).toContain('body.kind: must be one of "TEXT", "MARKDOWN" (got "text")');
    expect(messages).toContain("body.users: must have at most 2 items (got 3 items)");
    expect(messages.some((m) => m.startsWith("body.colour: is not a field"))).toBe(true);
    expect(server.requests).toHaveLength(0);
  });

  it("never echoes the value of a secret field", async () => {
    server = await startTestServer(() => ({ body: { id: "x" } }));
    const err = (await client(server.url)
      .send({ ...valid, password: "hunter2-not-hex" })
      .catch((e: unknown) => e)) as ValidationError;
    expect(err.message).toContain("body.password: must match the pattern");
    expect(err.message).not.toContain("hunter2");
  });

  it("can be switched off", async () => {
    server = await startTestServer(() => ({ body: { id: "x" } }));
    await expect(client(server.url, { validate: false }).send({ title: "" })).resolves.toEqual({ id: "x" });
  });
});

describe("transport: retries never duplicate a non-idempotent send", () => {
  it("retries a refused connection (nothing was sent) and then reports it", async () => {
    const err = (await client(await refusedUrl())
      .send(valid)
      .catch((e: unknown) => e)) as NetworkError;
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).toMatchObject({ kind: "network", code: "ECONNREFUSED", mayHaveReachedServer: false, attempts: 3 });
  });

  it("does not re-send a POST after a 503 or a reset; does retry an idempotent GET", async () => {
    server = await startTestServer(() => ({ status: 503, body: "busy" }));
    const c = client(server.url);
    await expect(c.send(valid)).rejects.toMatchObject({ status: 503 });
    expect(server.requests).toHaveLength(1);
    await expect(c.get("n1")).rejects.toMatchObject({ status: 503 });
    expect(server.requests).toHaveLength(4);

    server.setHandler(() => ({ destroy: true }));
    const reset = (await c.send(valid).catch((e: unknown) => e)) as NetworkError;
    expect(reset).toBeInstanceOf(NetworkError);
    expect(reset.mayHaveReachedServer).toBe(true);
    expect(server.requests).toHaveLength(5);
  });

  it("retries 429 for any operation, honouring Retry-After", async () => {
    server = await startTestServer((_r, i) =>
      i === 0 ? { status: 429, headers: { "retry-after": "1" }, body: "slow down" } : { body: { id: "n2" } },
    );
    const started = Date.now();
    await expect(client(server.url).send(valid)).resolves.toEqual({ id: "n2" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.requests).toHaveLength(2);
  });

  it("stops at maxAttempts and reports the attempts on the error", async () => {
    server = await startTestServer(() => ({ status: 429, headers: { "retry-after": "0" }, body: "no" }));
    const err = (await client(server.url, { retry: { maxAttempts: 4, initialDelayMs: 1 } })
      .send(valid)
      .catch((e: unknown) => e)) as ApiError;
    expect(server.requests).toHaveLength(4);
    expect(err.status).toBe(429);
  });

  it("retry: false sends once", async () => {
    server = await startTestServer(() => ({ status: 503, body: "busy" }));
    await expect(client(server.url, { retry: false }).get("n")).rejects.toMatchObject({ status: 503 });
    expect(server.requests).toHaveLength(1);
  });
});

describe("transport: timeouts", () => {
  it("times out a stalled POST once, saying it may have reached the server", async () => {
    server = await startTestServer(() => ({ delayMs: 400, body: { id: "late" } }));
    const err = (await client(server.url, { timeoutMs: 50 })
      .send(valid)
      .catch((e: unknown) => e)) as TimeoutError;
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ kind: "timeout", timeoutMs: 50, mayHaveReachedServer: true, attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it("retries a stalled idempotent GET and succeeds when the server recovers", async () => {
    // The healthy second answer must beat the timeout even on a loaded machine: wide margins.
    server = await startTestServer((_r, i) => (i === 0 ? { delayMs: 2_000, body: { status: "late" } } : { body: { status: "ok" } }));
    await expect(client(server.url, { timeoutMs: 20_000, attemptTimeoutMs: 500 }).get("n1")).resolves.toEqual({ status: "ok" });
  });

  it("a per-call timeout overrides the client's, and the caller's signal aborts", async () => {
    server = await startTestServer(() => ({ delayMs: 300, body: { id: "x" } }));
    const c = client(server.url, { timeoutMs: 10_000 });
    await expect(c.send(valid, { timeoutMs: 30 })).rejects.toBeInstanceOf(TimeoutError);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("caller gave up")), 20);
    await expect(c.send(valid, { signal: controller.signal })).rejects.toThrow("caller gave up");
  });
});

describe("transport: credential renewal", () => {
  it("renews once on a rejected credential and re-sends; never loops", async () => {
    let token = 0;
    const renewals: string[] = [];
    server = await startTestServer((r) =>
      r.headers.authorization === "Bearer t2" ? { body: { id: "ok" } } : { status: 401, body: { code: "EXPIRED" } },
    );
    const hooks = (): TransportHooks => ({
      authorize: (req) => void req.headers.set("Authorization", `Bearer t${token || (token = 1)}`),
      classify: (res) => (res.status === 401 ? "credential-rejected" : undefined),
      renewCredential: (req) => {
        renewals.push(req.headers.get("authorization")!);
        token++;
      },
    });
    await expect(client(server.url, {}, hooks).send(valid)).resolves.toEqual({ id: "ok" });
    expect(renewals).toEqual(["Bearer t1"]);

    server.setHandler(() => ({ status: 401, body: { code: "EXPIRED" } }));
    await expect(client(server.url, {}, hooks).send(valid)).rejects.toMatchObject({ status: 401 });
    expect(renewals).toHaveLength(2); // one renewal for that call, then the answer is returned
  });
});

describe("path parameters", () => {
  it('refuses "", "." and ".." (which would address another URL), even with validation off', async () => {
    server = await startTestServer(() => ({ body: { status: "ok" } }));
    for (const validate of [true, false]) {
      const c = client(server.url, { validate });
      for (const id of ["", ".", ".."]) {
        const err = (await c.get(id).catch((e: unknown) => e)) as ValidationError;
        expect(err).toBeInstanceOf(ValidationError);
        expect(err.violations[0]).toMatchObject({ path: "path.id", rule: "pathSegment" });
      }
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe("errors keep vendor bodies redacted", () => {
  it("masks secret fields of the body on the error object itself (what util.inspect prints)", async () => {
    server = await startTestServer(() => ({ status: 401, body: { code: "4011", apim_refreshtoken: "rt-very-secret-value", note: "x" } }));
    const err = (await client(server.url)
      .send(valid)
      .catch((e: unknown) => e)) as ApiError;
    expect(err.body).toEqual({ code: "4011", apim_refreshtoken: "[redacted]", note: "x" });
    const { inspect } = await import("node:util");
    expect(inspect(err, { depth: 5 })).not.toContain("rt-very-secret-value");
  });
});

describe(".raw calls get the same transport", () => {
  it("finds the operation from method and path: a GET is retried, a POST is not", async () => {
    server = await startTestServer(() => ({ status: 503, body: "busy" }));
    const { api } = client(server.url);
    const get = await api.raw.GET("/notices/{id}", { params: { path: { id: "n1" } } });
    expect(get.response.status).toBe(503);
    expect(server.requests).toHaveLength(3); // idempotent: retried up to maxAttempts
    await api.raw.POST("/notices", { body: valid });
    expect(server.requests).toHaveLength(4); // not idempotent: sent once
  });

  it("a caller's abort ends a retry wait at once", async () => {
    const controller = new AbortController();
    // Abort once the 429 has been answered (awaited by state: on a loaded machine the first request
    // may take longer than any fixed delay to arrive), i.e. while the client waits its 20 s.
    server = await startTestServer(() => {
      setTimeout(() => controller.abort(new Error("caller stopped waiting")), 100);
      return { status: 429, headers: { "retry-after": "20" }, body: "later" };
    });
    const { get } = client(server.url, { retry: { maxRetryAfterMs: 20_000, maxElapsedMs: 60_000 } });
    const started = Date.now();
    await expect(get("n1", { signal: controller.signal })).rejects.toThrow("caller stopped waiting");
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(server.requests).toHaveLength(1);
  });
});
