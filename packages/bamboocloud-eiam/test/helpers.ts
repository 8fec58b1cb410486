import { startTestServer, type Handler, type RecordedRequest, type Reply, type TestServer } from "@signalbridge/testkit";

export const CLIENT_ID = "app-client-id-7f3a";
export const CLIENT_SECRET = "s3cr3t-client-secret-value";
export const TOKEN_PATH = "/api/v2/tenant/token";
export const SEND_PATH = "/api/v2/tenant/notice/insite/asyncSend";
export const resultPath = (id: string) => `/api/v2/tenant/notice/insite/${id}/getSendResult`;

export const NOTICE = {
  title: "Notification Title 66",
  content: "Content: Abnormal risk detected in your account. View anomaly details 66.",
  message_type: "TEXT" as const,
  user_names: ["ziceUser", "zhangaaa01"],
  org_codes: ["10000"],
  all: false,
};

export const isToken = (r: RecordedRequest) => r.pathname === TOKEN_PATH;
export const businessCalls = (s: TestServer) => s.requests.filter((r) => !isToken(r));
export const tokenCalls = (s: TestServer) => s.requests.filter(isToken);

/**
 * A small EIAM: issues `tok-1`, `tok-2`, … (expires_in as given), accepts only the latest token,
 * and answers business calls with `business(request)` once the bearer token is valid.
 */
export async function startEiam(
  business: (request: RecordedRequest, index: number) => Reply | Promise<Reply>,
  options: { expiresIn?: number | undefined; tokenReply?: Handler } = {},
): Promise<TestServer & { issued: string[] }> {
  const issued: string[] = [];
  const server = await startTestServer(async (request, index) => {
    if (isToken(request)) {
      if (options.tokenReply) return options.tokenReply(request, index);
      const token = `tok-${issued.length + 1}-0d61dde4c700`;
      issued.push(token);
      const body: Record<string, unknown> = {
        access_token: token,
        token_type: "bearer",
        scope: "all",
        id_token: "eyJraWMSIs.eyJQwWVzQOrwNYo.ELddR0yVUQXgupYWNtS",
      };
      if (options.expiresIn !== undefined) body.expires_in = options.expiresIn;
      else body.expires_in = 1799;
      return { body };
    }
    const auth = request.headers.authorization ?? "";
    if (issued.length && auth !== `Bearer ${issued[issued.length - 1]}`) {
      return { status: 400, body: { error: "invalid_token", error_description: `Access token expired:${auth.slice(7)}` } };
    }
    return business(request, index);
  });
  return Object.assign(server, { issued });
}
