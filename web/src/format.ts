// How amounts, times and durations read on the page.

const UNITS_PER_USD = 10_000_000;

/** Units as dollars: cents for big amounts, more digits for the tiny ones per-second pricing makes. */
export function usd(units: number): string {
  const v = units / UNITS_PER_USD;
  if (v === 0) return '$0';
  return '$' + (Math.abs(v) >= 1 ? v.toFixed(2) : Number(v.toPrecision(2)).toString());
}

export function dateTime(rfc3339: string): string {
  if (!rfc3339 || rfc3339.startsWith('0001-')) return '—';
  return new Date(rfc3339).toLocaleString();
}

export function seconds(s: number | undefined): string {
  if (s === undefined || !Number.isFinite(s)) return '—';
  const m = Math.floor(s / 60);
  const rest = Math.floor(s % 60);
  return `${m}:${String(rest).padStart(2, '0')}`;
}
