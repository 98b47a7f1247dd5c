/**
 * When a community's digest is due: its hour in its time zone, every day or on its weekday.
 * Slots are read off the zone's wall clock, so 09:00 stays 09:00 on both sides of a
 * daylight-saving change. Edges follow core/zoned-time.ts's rule: an hour skipped by a
 * spring-forward jump is due just after the jump, one that happens twice in autumn at its
 * earlier occurrence.
 */
import { addDays, instantAt, localTime, weekday } from "../core/zoned-time.js";

export interface DigestSchedule {
  readonly cadence: "daily" | "weekly" | "off";
  /** 0 for Sunday to 6 for Saturday; weekly digests only. */
  readonly weekday: number;
  /** 0 to 23, in the community's time zone. */
  readonly hour: number;
}

/** Days searched either way: enough to find a weekly slot from any moment. */
const SEARCH_DAYS = 8;

function slotOn(date: { year: number; month: number; day: number }, schedule: DigestSchedule, zone: string): Date | undefined {
  if (schedule.cadence === "weekly" && weekday(date) !== schedule.weekday) return undefined;
  return instantAt({ ...date, hour: schedule.hour, minute: 0 }, zone);
}

/** The most recent slot at or before `now`; undefined when digests are off. */
export function lastDueSlot(schedule: DigestSchedule, zone: string, now: Date): Date | undefined {
  if (schedule.cadence === "off") return undefined;
  const today = localTime(now, zone);
  for (let back = 0; back <= SEARCH_DAYS; back++) {
    const slot = slotOn(addDays(today, -back), schedule, zone);
    if (slot && slot.getTime() <= now.getTime()) return slot;
  }
  return undefined;
}

/** The first slot after `now`: when the next digest will post. Undefined when digests are off. */
export function nextDueSlot(schedule: DigestSchedule, zone: string, now: Date): Date | undefined {
  if (schedule.cadence === "off") return undefined;
  const today = localTime(now, zone);
  for (let ahead = 0; ahead <= SEARCH_DAYS; ahead++) {
    const slot = slotOn(addDays(today, ahead), schedule, zone);
    if (slot && slot.getTime() > now.getTime()) return slot;
  }
  return undefined;
}

/** The slot before `slot`: where the period a digest covers starts. */
export function previousSlot(schedule: DigestSchedule, zone: string, slot: Date): Date | undefined {
  return lastDueSlot(schedule, zone, new Date(slot.getTime() - 1));
}
