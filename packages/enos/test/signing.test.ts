import { describe, expect, it } from "vitest";
import { encryptionOf, paramsDataOf, signatureOf } from "../src/auth.js";
import { sha256 } from "./support.js";

// The worked example of the vendor's "Invoking API with Access Token" page
// (EnvisionDoc/api_en token/invoke_api_with_access_token.md).
const DOC_URL = "https://apigw.example/m/v1/b?k3=v3&k1=v1&k2=v2";
const DOC_BODY = '{\n  "count": 20,\n  "page": 1,\n  "desc": "description"\n}';

describe("gateway signing", () => {
  it("sha256 known vectors (WebCrypto agrees with node:crypto)", async () => {
    expect(sha256("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(await encryptionOf("", 0, "")).toBe(sha256("0"));
    expect(await signatureOf("", "abc", "", "")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("paramsData sorts the query by name as k1v1k2v2k3v3 and appends the raw body", () => {
    expect(paramsDataOf(DOC_URL, DOC_BODY)).toBe(`k1v1k2v2k3v3${DOC_BODY}`);
    expect(paramsDataOf("https://h/p?orgId=o1", "{}")).toBe("orgIdo1{}");
    expect(paramsDataOf("https://h/p", undefined)).toBe("");
  });

  it("paramsData uses ASCII order (upper case before lower case), decoded values, first value of a repeated name", () => {
    expect(paramsDataOf("https://h/p?b=2&B=1&a=x%20y&a=z", "")).toBe("B1a" + "x y" + "b2");
  });

  it("the doc's worked example, recomputed independently", async () => {
    const signData = `xxxxaaaxxxxk1v1k2v2k3v3${DOC_BODY}1572574909697xxxappSecretxxx`;
    const ours = await signatureOf("xxxxaaaxxxx", paramsDataOf(DOC_URL, DOC_BODY), "1572574909697", "xxxappSecretxxx");
    expect(ours).toBe(sha256(signData));
    expect(ours).toMatch(/^[0-9a-f]{64}$/);
    // The page prints 59828328f6c1f977…; no whitespace variant of its body reproduces that digest,
    // so it is an illustration, not a test vector.
    expect(ours).not.toBe("59828328f6c1f9771015dc74e4929ae30f518a35a3d2353972c2ea46556fc981");
  });

  it("encryption = lowercase hex sha256(appKey + timestamp + appSecret)", async () => {
    const enc = await encryptionOf("5acb82e7-a11e-4300-9164-c8b20b638e8b", 1572574909697, "secret");
    expect(enc).toBe(sha256("5acb82e7-a11e-4300-9164-c8b20b638e8b1572574909697secret"));
  });

  it("signs non-ASCII bodies over their UTF-8 bytes", async () => {
    const body = '{"ruleName":"站点告警"}';
    expect(await signatureOf("t", paramsDataOf("https://h/p?orgId=o", body), "1", "s")).toBe(sha256(`torgIdo${body}1s`));
  });
});
