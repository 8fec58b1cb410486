import { isIP } from "node:net";

/**
 * True when `host` only accepts connections from this machine. Anything else (0.0.0.0, ::, a LAN
 * address, a name) exposes the simulators and their fixed credentials to the network.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, "");
  if (h === "localhost") return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  if (isIP(h) === 6) return h === "::1" || /^::ffff:127\./.test(h);
  return false;
}
