import { afterEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "@signalbridge/testkit";
import { accessKeyStringToSign, createDateHeaderFormatter, parseZStackDate, sessionLifetimeMs } from "../src/auth.js";
import { ENDPOINT, hmacSha1, sha512, silent } from "./support.js";
import { createZStackClient } from "../src/index.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const SHA512_PASSWORD =
  "b109f3bbbc244eb82441917ed06d618b9008dd09b3befd1b5e07394c706a8bb980b1d7785e5976ec049b46df5f1326af5a2ea6d103fd07c95385ffab0cacbc86";

describe("password digest", () => {
  it("sends sha512('password') as the vendor's known vector, lowercase hex", async () => {
    expect(sha512("password")).toBe(SHA512_PASSWORD); // the test's own reference agrees with the vendor constant
    server = await startTestServer((req) =>
      req.pathname.endsWith("/login") ? { body: { inventory: { uuid: "s-vector-0001" } } } : { body: { inventories: [] } },
    );
    const zs = createZStackClient({
      baseUrl: `${server.url}/zstack`,
      auth: { accountName: "admin", password: "password" },
      logger: silent,
    });
    await zs.queryDingTalkAtPersons();
    expect(server.requests[0]!.json().logInByAccount.password).toBe(SHA512_PASSWORD);
  });

  it("hashes UTF-8 (a non-ASCII password)", async () => {
    server = await startTestServer((req) =>
      req.pathname.endsWith("/login") ? { body: { inventory: { uuid: "s-vector-0002" } } } : { body: { inventories: [] } },
    );
    const zs = createZStackClient({
      baseUrl: `${server.url}/zstack`,
      auth: { accountName: "admin", password: "密码-Pässwort" },
      logger: silent,
    });
    await zs.queryDingTalkAtPersons();
    expect(server.requests[0]!.json().logInByAccount.password).toBe(sha512("密码-Pässwort"));
  });
});

describe("session lifetime", () => {
  it("is expiredDate - createDate (both server wall-clock, no zone)", () => {
    expect(sessionLifetimeMs({ createDate: "Dec 25, 2023 2:07:43 PM", expiredDate: "Dec 25, 2023 4:07:43 PM" })).toBe(7_200_000);
    expect(sessionLifetimeMs({ createDate: "Dec 31, 2023 11:30:00 PM", expiredDate: "Jan 1, 2024 1:30:00 AM" })).toBe(7_200_000);
    // a newer JDK's format: comma after the year, narrow no-break space before PM
    expect(sessionLifetimeMs({ createDate: "Dec 25, 2023, 2:07:43\u202fPM", expiredDate: "Dec 25, 2023, 2:37:43\u202fPM" })).toBe(
      1_800_000,
    );
  });

  it("falls back to the server default 7200 s when the dates are missing or unreadable", () => {
    expect(sessionLifetimeMs(undefined)).toBe(7_200_000);
    expect(sessionLifetimeMs({ createDate: "2023-12-25T14:07:43", expiredDate: "2023-12-25T16:07:43" })).toBe(7_200_000);
  });

  it("a session that lives less than twice the refresh-ahead window is reused, not renewed before each use", async () => {
    let n = 0;
    server = await startTestServer((req) =>
      req.pathname.endsWith("/login")
        ? {
            body: {
              inventory: { uuid: `s-short-000${++n}`, createDate: "Dec 25, 2023 2:07:43 PM", expiredDate: "Dec 25, 2023 2:08:13 PM" },
            },
          }
        : { body: { inventories: [] } },
    );
    const zs = createZStackClient({
      baseUrl: `${server.url}/zstack`,
      auth: { accountName: "admin", password: "pw-short" },
      logger: silent,
    });
    await zs.queryDingTalkAtPersons();
    await zs.queryDingTalkAtPersons();
    const auths = server.requests.filter((r) => !r.pathname.endsWith("/login")).map((r) => r.headers.authorization);
    // A 30 s session is renewed halfway through its life, not before every call.
    expect(auths).toEqual(["OAuth s-short-0001", "OAuth s-short-0001"]);
    expect(server.requests.filter((r) => r.pathname.endsWith("/login"))).toHaveLength(1);
  });
});

describe("vendor dates", () => {
  it("parses the vendor format in the management node's zone", () => {
    expect(parseZStackDate("Dec 25, 2023 2:07:43 PM")?.toISOString()).toBe("2023-12-25T06:07:43.000Z");
    expect(parseZStackDate("Jan 6, 2017 3:51:16 AM", "UTC")?.toISOString()).toBe("2017-01-06T03:51:16.000Z");
    expect(parseZStackDate("Jul 1, 2024 12:00:00 AM", "Europe/Berlin")?.toISOString()).toBe("2024-06-30T22:00:00.000Z");
    expect(parseZStackDate("Dec 25, 2023 12:05:00 PM", "UTC")?.toISOString()).toBe("2023-12-25T12:05:00.000Z");
    expect(parseZStackDate("not a date")).toBeUndefined();
  });
});

describe("AccessKey signature", () => {
  it("formats Date as EEE, dd MMM yyyy HH:mm:ss z in the server's zone (CST for Asia/Shanghai)", () => {
    const at = Date.UTC(2023, 11, 25, 6, 7, 43);
    expect(createDateHeaderFormatter()(at)).toBe("Mon, 25 Dec 2023 14:07:43 CST");
    expect(createDateHeaderFormatter("UTC")(at)).toBe("Mon, 25 Dec 2023 06:07:43 GMT");
    expect(createDateHeaderFormatter("America/New_York")(at)).toBe("Mon, 25 Dec 2023 01:07:43 GMT-05:00");
    expect(createDateHeaderFormatter("Asia/Kolkata", "IST")(Date.UTC(2024, 0, 5, 0, 0, 9))).toBe("Fri, 05 Jan 2024 05:30:09 IST");
  });

  it("signs METHOD\\nDate\\nURI with the path decoded, without context path and query", () => {
    expect(
      accessKeyStringToSign(
        "delete",
        "Mon, 25 Dec 2023 14:07:43 CST",
        "http://mn:8080/zstack/v1/sns/application-endpoints/ding-talk/e1/at-persons/%2B86-18988887777?deleteMode=Enforcing",
        "/zstack",
      ),
    ).toBe("DELETE\nMon, 25 Dec 2023 14:07:43 CST\n/v1/sns/application-endpoints/ding-talk/e1/at-persons/+86-18988887777");
  });

  it("every authenticated call carries Authorization: ZStack id:HMAC-SHA1 and a Date within a second of now in server time", async () => {
    server = await startTestServer((req) => {
      if (req.pathname.startsWith("/zstack/v1/api-jobs/")) return { body: {} };
      if (req.method === "DELETE")
        return { status: 202, body: { location: `http://10.0.0.1:8080/zstack/v1/api-jobs/${req.headers["x-job-uuid"]}` } };
      return { body: { inventories: [] } };
    });
    const zs = createZStackClient({
      baseUrl: `${server.url}/zstack`,
      auth: { accessKeyId: "AKID-0001", accessKeySecret: "ak-secret-0001" },
      logger: silent,
    });
    await zs.queryDingTalkAtPersons({ q: ["uuid=1"] });
    await zs.removeDingTalkAtPerson({ endpointUuid: ENDPOINT, phoneNumber: "+86-18988887777" });

    const [query, del, poll] = server.requests;
    for (const [req, uri] of [
      [query!, "/v1/sns/application-endpoints/ding-talk/at-persons"],
      [del!, `/v1/sns/application-endpoints/ding-talk/${ENDPOINT}/at-persons/+86-18988887777`],
    ] as const) {
      const date = req.headers.date!;
      expect(date).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} CST$/);
      const expected = hmacSha1("ak-secret-0001", `${req.method}\n${date}\n${uri}`);
      expect(req.headers.authorization).toBe(`ZStack AKID-0001:${expected}`);
      // wall-clock time in Asia/Shanghai (UTC+8, no DST), parsed back as if UTC
      const m = /, (\d{2}) (\w{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2})/.exec(date)!;
      const wall = Date.parse(`${m[2]} ${m[1]}, ${m[3]} ${m[4]}:${m[5]}:${m[6]} UTC`);
      expect(Math.abs(wall - 8 * 3_600_000 - Date.now())).toBeLessThan(5_000);
    }
    // the job resource is not authenticated
    expect(poll!.headers.authorization).toBeUndefined();
    expect(poll!.headers.date).toBeUndefined();
  });
});
