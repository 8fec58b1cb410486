/**
 * The plain-http rule (core's checkBaseUrl) as one table that core and every vendor client run:
 * credentials must not travel unencrypted, so `http://` to anything but loopback is refused at
 * construction unless the caller says `allowInsecureHttp: true`. A client that builds its base
 * URL some other way, or forgets to pass the flag on, gets a case of this table wrong.
 */
export interface PlainHttpCase {
  baseUrl: string;
  allowInsecureHttp?: boolean;
  refused: boolean;
}

export const plainHttpCases: readonly PlainHttpCase[] = [
  { baseUrl: "http://10.0.0.5:8080/zstack", refused: true }, // a private management node
  { baseUrl: "http://apim.example.internal", refused: true }, // a host name
  { baseUrl: "http://127.0.0.1.example.com", refused: true }, // looks like loopback, is not
  { baseUrl: "http://localhost.example.com", refused: true },
  { baseUrl: "http://10.0.0.5:8080/zstack", allowInsecureHttp: true, refused: false },
  { baseUrl: "https://acme.example.com", refused: false },
  { baseUrl: "http://127.0.0.1:9000", refused: false },
  { baseUrl: "http://localhost:9000", refused: false },
  { baseUrl: "http://[::1]:9000", refused: false },
];

/**
 * Construct with every case of the table; returns the cases `create` got wrong, each described
 * (an empty list: it follows the rule). A refusal must be the configuration error that names the
 * way out (`allowInsecureHttp: true`), not any error.
 */
export function plainHttpRuleMismatches(create: (baseUrl: string, allowInsecureHttp: boolean | undefined) => unknown): string[] {
  const wrong: string[] = [];
  for (const c of plainHttpCases) {
    const label = `${c.baseUrl}${c.allowInsecureHttp ? " with allowInsecureHttp" : ""}`;
    let error: unknown;
    try {
      create(c.baseUrl, c.allowInsecureHttp);
    } catch (e) {
      error = e;
    }
    const got = error === undefined ? "no error" : String(error);
    const refusal =
      error instanceof Error &&
      (error as { kind?: unknown }).kind === "configuration" &&
      error.message.includes("plain http to a non-loopback host") &&
      error.message.includes("allowInsecureHttp: true");
    if (c.refused && !refusal) wrong.push(`${label}: expected the plain-http refusal, got ${got}`);
    if (!c.refused && error !== undefined) wrong.push(`${label}: expected no error, got ${got}`);
  }
  return wrong;
}
