/** Rollup periods are UTC days and calendar months, written as "day:2026-12-07" and "month:2026-12". */
export const DAY_MS = 86_400_000;

export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function monthOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}

export function startOfDay(date: Date): Date {
  return new Date(`${dayOf(date)}T00:00:00.000Z`);
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/** Every UTC day from `from` to `to`, both included, as "YYYY-MM-DD". */
export function daysBetween(from: Date, to: Date): string[] {
  const days: string[] = [];
  for (let d = startOfDay(from); d <= to; d = addDays(d, 1)) days.push(dayOf(d));
  return days;
}

/** The month before "YYYY-MM". */
export function previousMonth(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

/** The last day of the month before "YYYY-MM": the day whose end is the month's start. */
export function dayBeforeMonth(month: string): string {
  return dayOf(addDays(new Date(`${month}-01T00:00:00.000Z`), -1));
}
