import { ConfigurationError } from "./errors.js";

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

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
