import { ConfigurationError } from "./errors.js";

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

// The Fetch standard's "bad ports" (https://fetch.spec.whatwg.org/#port-blocking): fetch fails
// every request to them, which would otherwise surface at the first call as a network error.
const FETCH_BAD_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117,
  119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636,
  989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/**
 * Parse and check a base URL at construction time. Plain http to a non-loopback host would send
 * credentials in clear text, so it needs an explicit `allowInsecureHttp: true` (ZStack
 * management nodes often serve plain HTTP on private networks).
 */
export function checkBaseUrl(vendor: string, baseUrl: unknown, allowInsecureHttp = false): string {
  if (typeof baseUrl !== "string" || baseUrl.trim() === "") {
    throw new ConfigurationError(`${vendor}: baseUrl is required (for example "https://host.example.com")`, { vendor });
  }
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ConfigurationError(`${vendor}: baseUrl "${baseUrl}" is not an absolute URL`, { vendor });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new ConfigurationError(`${vendor}: baseUrl must use https: or http: (got ${url.protocol})`, { vendor });
  }
  if (url.search || url.hash) {
    throw new ConfigurationError(`${vendor}: baseUrl must not carry a query or fragment`, { vendor });
  }
  if (url.username || url.password) {
    throw new ConfigurationError(`${vendor}: baseUrl must not carry credentials; pass them in the client options`, { vendor });
  }
  if (url.port !== "" && FETCH_BAD_PORTS.has(Number(url.port))) {
    throw new ConfigurationError(
      `${vendor}: baseUrl port ${url.port} is one that fetch refuses to connect to (the Fetch standard's "bad port" list); use another port`,
      { vendor },
    );
  }
  if (url.protocol === "http:" && !LOOPBACK.test(url.hostname) && !allowInsecureHttp) {
    throw new ConfigurationError(
      `${vendor}: baseUrl ${url.origin} uses plain http to a non-loopback host; credentials would travel unencrypted. ` +
        `Use https, or pass allowInsecureHttp: true if this is a trusted private network`,
      { vendor },
    );
  }
  return url.href.replace(/\/+$/, "");
}

/** Fail at construction, naming the missing option, before anything is sent. */
export function requireOption(vendor: string, name: string, value: unknown, hint = ""): void {
  if (value === undefined || value === null || (typeof value === "string" && value.trim() === "")) {
    throw new ConfigurationError(`${vendor}: ${name} is required${hint ? ` (${hint})` : ""}`, { vendor });
  }
}
