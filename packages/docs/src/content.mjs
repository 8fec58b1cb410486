/**
 * The hand-written part of the landing page: the intro, and per vendor the quirks an engineer trips
 * over. Everything else on the page (operations, auth schemes, packages) is read from the specs.
 *
 * Each quirk names where the reference shows it (`shownIn`: an operation, or the API overview when
 * `operationId` is absent) with a phrase of the spec's own text. The build fails when a phrase is
 * no longer in the spec; the e2e test checks that it is visible on the rendered reference page.
 * Phrases avoid Markdown, quotes and apostrophes so that the spec text and the rendered text match.
 */

export const intro = `
<p><strong>signalbridge</strong> is a set of typed TypeScript clients for enterprise notification and
alert-routing APIs: ZStack Cloud SNS (the DingTalk users an alarm @-mentions), Bamboo Cloud IDaaS EIAM
(in-site notices) and the EnOS Application Portal (message rules). Each client is generated from a
hand-written OpenAPI 3.1 spec that follows what the vendor's <em>server</em> does, and says so where
the vendor's documentation disagrees.</p>
<ul>
  <li><strong>One package per vendor</strong>, plus a facade that combines them and a sandbox of vendor
  simulators, so everything runs without a vendor account.</li>
  <li><strong>Requests are validated before they are sent</strong>, against the vendor's own constraints
  from the spec; field names are spelt as the vendor spells them.</li>
  <li><strong>Each vendor's quirks are handled once</strong>, in its package: async jobs, in-band errors,
  request signing, token renewal. A request that may have been processed is never re-sent when the
  operation is not idempotent.</li>
  <li><strong>Typed errors</strong>: <code>SignalBridgeError</code> and its subclasses
  <code>ValidationError</code> (nothing was sent), <code>ApiError</code> (the vendor said no; per-vendor
  subclasses with a typed <code>code</code>), <code>AuthenticationError</code>, <code>TimeoutError</code>,
  <code>NetworkError</code>, <code>ResponseShapeError</code>. No error or log line contains a secret.</li>
</ul>
<p>Every example on this site is a TypeScript file that CI type-checks against the built packages.
The reference pages show one for every operation, next to the request payload.</p>
`;

// Public copies of the server code the ZStack facts were read in (repository files at a commit).
const ZS_REST =
  "https://github.com/zstackio/zstack/blob/5a29293bd53c98a38488fb8b71d54531012d3dae/rest/src/main/java/org/zstack/rest/RestServer.java";
const ZS_INTRO =
  "https://github.com/zstackio/zstack/blob/5a29293bd53c98a38488fb8b71d54531012d3dae/rest/src/main/resources/doc/RestIntroduction_zh_cn.md";
const ZSV_SNS = "https://github.com/ZSvirt/zsvirt/blob/4aeacf241f6fb4747de90fa3b6aa2788781d903d/premium/sns/src/main/java/org/zstack/sns";

export const quirks = {
  zstack: [
    {
      title: "Add, update and remove are asynchronous jobs (202 + poll)",
      html: `<p>The vendor's API explorer labels <code>AddSNSDingTalkAtPerson</code> "Synchronous"; the server
        answers every changing call with <strong>202</strong> <code>{location, apiTimeout}</code>, and the
        result comes from <code>GET /v1/api-jobs/{uuid}</code>: 202 <code>{}</code> while running, 200 with
        the result, 503 <code>{"error"}</code> when it failed, 404 once the result expired (3 h by default).
        Validation errors (bad phone number, unknown endpoint, expired session) therefore arrive
        <em>on the poll</em> as 503, never as a 400 of the call. The client's named methods wait for the
        job and return its result or throw the job's error.</p>`,
      shownIn: [
        { operationId: "AddSNSDingTalkAtPerson", text: "the server treats it as async" },
        { operationId: "getApiJobResult", text: "still running; the body is an empty {}" },
      ],
      sources: [
        { label: "zstackio/zstack RestServer.java (sendMessage, handleJobQuery)", href: ZS_REST },
        {
          label: "ZSvirt/zsvirt APIAddSNSDingTalkAtPersonMsg.java (extends APICreateMessage)",
          href: `${ZSV_SNS}/platform/dingtalk/APIAddSNSDingTalkAtPersonMsg.java`,
        },
        { label: "zstackio/zstack RestIntroduction_zh_cn.md (the REST manual: all but login APIs are async)", href: ZS_INTRO },
        {
          label: "API explorer: AddSNSDingTalkAtPerson",
          href: "https://docs.zstack-cloud.com/docs/api-explorer/en/cloud/explorer/AddSNSDingTalkAtPerson",
        },
      ],
    },
    {
      title: "The job location names the management node's own IP",
      html: `<p>The <code>location</code> of a 202 is built from <code>RESTFacade.hostname=AUTO</code>, the
        management node's own address, not the host you called (behind NAT, a proxy or a DNS name it is
        unreachable). The official Java and Go SDKs rebuild the poll URL on the configured host and port;
        the client does the same, polling <code>{baseUrl}/v1/api-jobs/{uuid}</code> with the job uuid.</p>`,
      shownIn: [{ text: "not necessarily the host the client used" }],
      sources: [
        { label: "zstackio/zstack RestServer.java (the job location)", href: ZS_REST },
        {
          label: "terraform-zstack-modules/zstack-sdk-go zstack_http_client.go (httpWait rebuilds the poll URL)",
          href: "https://github.com/terraform-zstack-modules/zstack-sdk-go/blob/1741bf0ab750f4dfc3bd1a307cc5365bd839db4d/pkg/client/zstack_http_client.go",
        },
      ],
    },
    {
      title: "Phone numbers must look like +86-13800138000",
      html: `<p>The server checks <code>phoneNumber</code> against <code>^\\+\\d{2,3}-\\d{11}$</code> after
        trimming: a country code, a dash and 11 digits. The vendor's own examples use bare numbers such
        as <code>18099997777</code>, which fail with <code>SYS.1007</code> (on the poll). In the
        <code>RemoveSNSDingTalkAtPerson</code> path the <code>+</code> travels as <code>%2B</code>.</p>`,
      shownIn: [
        { operationId: "AddSNSDingTalkAtPerson", text: "the DingDing phone number is like +86-12388889999" },
        { operationId: "RemoveSNSDingTalkAtPerson", text: "must travel as %2B" },
      ],
      sources: [
        { label: "ZSvirt/zsvirt SNSApiInterceptor.java (the phone check)", href: `${ZSV_SNS}/SNSApiInterceptor.java` },
        {
          label: "API explorer: AddSNSDingTalkAtPerson",
          href: "https://docs.zstack-cloud.com/docs/api-explorer/en/cloud/explorer/AddSNSDingTalkAtPerson",
        },
      ],
    },
    {
      title: "An expired session is not a 401",
      html: `<p>An unknown or expired session passes the HTTP layer and fails in the API pipeline with
        <code>ID.1001</code>: as a 503 for a synchronous call, on the poll for an asynchronous one. The
        client logs in again once and repeats the call when that is safe.</p>`,
      shownIn: [{ text: "there is no 401" }],
      sources: [
        { label: "zstackio/zstack RestIntroduction_zh_cn.md (sessions)", href: ZS_INTRO },
        { label: "zstackio/zstack RestServer.java", href: ZS_REST },
      ],
    },
  ],
  eiam: [
    {
      title: "The notice ID arrives as noitce_id",
      html: `<p>The vendor's response table names the ID <code>notice_id</code>; its success example, on the
        English and the Chinese page, spells it <code>noitce_id</code> (sic), and that is what the server
        sends. The client reads both and returns <code>notice_id</code>.</p>`,
      shownIn: [{ operationId: "sendInSiteNotice", text: "spells it noitce_id, and that is what the server sends" }],
      sources: [
        {
          label: "EIAM: Send in-site notice (asyncSend)",
          href: "https://open.bccastle.com/en/development/eiam/api/message/asyncsend.html",
        },
      ],
    },
    {
      title: "An expired token is a 400, not a 401",
      html: `<p>An expired or unknown bearer token is answered <strong>HTTP 400</strong>
        <code>{"error": "invalid_token", "error_description": …}</code> (OAuth2 shape), while business
        errors are also 400 but <code>{error_code, error_msg}</code>. Tell them apart by the property, not
        the status. The client fetches a new token and re-sends once: the request was refused before
        any processing, so even a send is safe to repeat. Only bad client credentials give 401.</p>`,
      shownIn: [
        { text: "Expired or unknown token → HTTP 400, not 401." },
        { operationId: "sendInSiteNotice", text: "for an expired or unknown token" },
      ],
      sources: [
        { label: "EIAM: Authentication interface", href: "https://open.bccastle.com/en/development/eiam/api/authentication.html" },
        { label: "IDaaS OAuth2 error list", href: "https://open.bccastle.com/development/standard-protocol/oauth2/oauth-error-list.html" },
      ],
    },
    {
      title: "Error codes may start with a space; the daily quota is a 400",
      html: `<p>The vendor's examples show codes such as <code>" APP.0001"</code>; the client trims them
        before comparing. <code>NOTICE.INSITE.0003</code> (daily in-site quota) comes as 400, not 429,
        and retrying the same day does not help.</p>`,
      shownIn: [{ text: "clients trim codes before comparing" }],
      sources: [
        {
          label: "EIAM: Send in-site notice (asyncSend), error codes",
          href: "https://open.bccastle.com/en/development/eiam/api/message/asyncsend.html",
        },
        { label: "EIAM: the same page in Chinese", href: "https://open.bccastle.com/development/eiam/api/message/asyncsend.html" },
      ],
    },
  ],
  enos: [
    {
      title: "Business errors come with HTTP 200",
      html: `<p>The App Portal answers business errors <em>in-band</em>: HTTP 200 with
        <code>{code, message, data}</code> and a non-zero <code>code</code> (31xxx). <code>code</code> 0
        is success (200 on App Portal 2.1–2.3). Only the API gateway uses real 4XX/5XX statuses. The
        client checks <code>code</code> on every 200 and throws an <code>EnosApiError</code>. That the
        status is 200 is inferred from the SDKs; no vendor page states it.</p>`,
      shownIn: [
        { text: "answers business errors in-band: HTTP 200 with the envelope" },
        { operationId: "createMessageRules", text: "a non-zero code is treated as" },
      ],
      sources: [
        {
          label: "EnOS App Portal: Create Message Rules (zh_CN 3.0.0, error codes)",
          href: "https://support.enos-iot.com/app-portal-api/zh_CN/3.0.0/application/create_message_rule.html",
        },
        {
          label: "EnOS App Portal: Create Message Rules",
          href: "https://support.enos-iot.com/docs/app-portal-api/en/3.0.0/application/create_message_rule.html",
        },
      ],
    },
    {
      title: "Every call is signed",
      html: `<p>Each App Portal call carries <code>apim-accesstoken</code>, <code>apim-timestamp</code>
        (epoch ms) and <code>apim-signature</code> = lowercase hex SHA-256 of
        <code>accessToken + paramsData + timestamp + appSecret</code>, where <code>paramsData</code> is the
        sorted query parameters (<code>k1v1k2v2…</code>) followed by the JSON body <em>exactly as sent</em>.
        The token comes from <code>getAccessToken</code> with <code>encryption</code> =
        SHA-256(<code>appKey + timestamp + appSecret</code>); a repeated <code>encryption</code> is refused
        as a replay (1001), so every token call needs a fresh timestamp. The client signs the bytes it
        sends and caches the token (one per Access Key, 2 h).</p>`,
      shownIn: [
        { text: "Every App Portal call is signed for the gateway" },
        { operationId: "getAccessToken", text: "so every call needs a fresh timestamp" },
      ],
      sources: [
        { label: "EnOS APIM: Get Access Token", href: "https://support.enos-iot.com/docs/apim/zh_CN/3.0.0/token/get_access_token" },
        {
          label: "EnvisionDoc: invoke API with access token",
          href: "https://github.com/EnvisionDoc/api_en/blob/2a9f291fd51af29557f21d2b449460994e4fb0c5/token/invoke_api_with_access_token.md",
        },
      ],
    },
  ],
};

/** What the landing page says about the facade and the sandbox (the usage code is in samples/overview/). */
export const facade = `
<p><code>@signalbridge/sdk</code> combines the three clients behind one configuration: shared timeout, retry
policy and logger, one namespace per vendor (<code>sb.zstack</code>, <code>sb.eiam</code>,
<code>sb.enos</code>) and one error hierarchy. <code>createSignalBridge.fromEnv()</code> reads the
<code>SIGNALBRIDGE_*</code> environment variables; the package exports their list, with what each one means,
as <code>ENV_VARIABLES</code>.</p>
`;

export const sandbox = `
<p><code>@signalbridge/sandbox</code> runs a simulator of each vendor as a real HTTP server on 127.0.0.1: the
same auth flows, status codes, error codes, async-job protocol and limits as the vendor, with state in memory,
fault injection (latency, 5xx, 429 with Retry-After, dropped connections, expired tokens) and an
inspection API. Start it from a test with <code>startSandbox({port: 0})</code> and hand its
<code>config</code> to <code>createSignalBridge</code>, or from a shell with
<code>npx signalbridge-sandbox</code>. <code>npm start</code> at the repository root serves this site
together with the sandbox.</p>
`;
