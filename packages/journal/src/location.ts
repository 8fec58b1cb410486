/** How a journal names where it lives in messages: never with a password. */

/** The URL with its password (and any `password=` query parameter) masked; the text as given when it is no URL. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    for (const key of [...parsed.searchParams.keys()]) {
      if (/pass|secret|token/i.test(key)) parsed.searchParams.set(key, "***");
    }
    return parsed.toString();
  } catch {
    // Not a URL we can parse: keep only what precedes an "@", which is where credentials sit.
    const at = url.lastIndexOf("@");
    return at < 0 ? url : `***@${url.slice(at + 1)}`;
  }
}

/** The password inside a connection URL, so that it can be scrubbed from every error text. */
export function passwordOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.password ? decodeURIComponent(parsed.password) : undefined;
  } catch {
    return undefined;
  }
}

/** An error's own words, without a stack. */
export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
