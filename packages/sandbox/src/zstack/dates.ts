/** Dates as a ZStack node writes and reads them: node-local wall-clock time, no zone. */

export const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export interface ZStackDates {
  /** The node's wall-clock time of an instant, as if it were UTC (ms). */
  wallClock(instant: number): number;
  /** Gson's default date format on JDK 8: `MMM d, yyyy h:mm:ss a`, node-local time, no zone. */
  vendorDate(instant: number): string;
  /** A query condition's date value: the vendor format or epoch ms (inferred) → instant, NaN if neither. */
  dateValue(v: string): number;
}

export function createDates(timeZone: string): ZStackDates {
  const wallFormat = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  });
  const wallClock = (instant: number) => {
    const p = Object.fromEntries(wallFormat.formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
    return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  };
  const vendorDate = (instant: number) => {
    const d = new Date(wallClock(instant));
    const h = d.getUTCHours();
    const mm = String(d.getUTCMinutes()).padStart(2, "0");
    const ss = String(d.getUTCSeconds()).padStart(2, "0");
    return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()} ${h % 12 === 0 ? 12 : h % 12}:${mm}:${ss} ${h < 12 ? "AM" : "PM"}`;
  };
  const dateValue = (v: string): number => {
    if (/^\d+$/.test(v)) return Number(v);
    const m = /^([A-Za-z]{3}) (\d{1,2}), (\d{4}),? (\d{1,2}):(\d{2}):(\d{2}) ?([AP]M)$/i.exec(v.trim());
    if (!m) return Number.NaN;
    const hour = (Number(m[4]) % 12) + (m[7]!.toUpperCase() === "PM" ? 12 : 0);
    const wall = Date.UTC(Number(m[3]), MONTHS.indexOf(m[1]!), Number(m[2]), hour, Number(m[5]), Number(m[6]));
    return wall - (wallClock(wall) - wall);
  };
  return { wallClock, vendorDate, dateValue };
}

/** `EEE, dd MMM yyyy HH:mm:ss z` → wall-clock ms (zone ignored), or undefined. */
export function parseDateHeader(value: string): number | undefined {
  const m = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) \S+$/.exec(value.trim());
  const month = m ? MONTHS.indexOf(m[3]!) : -1;
  if (!m || month < 0) return undefined;
  return Date.UTC(Number(m[4]), month, Number(m[2]), Number(m[5]), Number(m[6]), Number(m[7]));
}
