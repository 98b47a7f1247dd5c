import type { StripeObject } from "./types.js";

/**
 * Fields Stripe leaves out of an object unless the request expands them ("includable"
 * fields): a coupon's `applies_to`, an invoice's `payments`. Webhook payloads never carry them.
 */
const INCLUDABLE: Record<string, readonly string[]> = {
  coupon: ["applies_to"],
  invoice: ["payments"],
};

/**
 * A copy of `value` as Stripe would send it for a request with these `expand[]` paths: every
 * includable field not asked for is removed, at any depth (`data.payments` keeps the payments
 * of each invoice in a list, `latest_invoice.payments` those of an expanded invoice).
 */
export function publicView<T>(value: T, expand: readonly string[] = []): T {
  const asked = new Set(expand);
  // Cloning is the costly part (a list of 100 subscriptions); skip it when nothing is hidden.
  if (!strip(value, "", asked, false)) return value;
  const copy = structuredClone(value);
  strip(copy, "", asked, true);
  return copy;
}

/** Whether `value` holds an includable field not asked for; with `remove`, deletes each one. */
function strip(value: unknown, path: string, expand: ReadonlySet<string>, remove: boolean): boolean {
  if (Array.isArray(value)) return value.map((item) => strip(item, path, expand, remove)).some(Boolean);
  if (typeof value !== "object" || value === null) return false;
  const object = value as StripeObject;
  let found = false;
  for (const field of INCLUDABLE[String(object["object"])] ?? []) {
    if (field in object && !expand.has(path === "" ? field : `${path}.${field}`)) {
      found = true;
      if (remove) delete object[field];
    }
  }
  for (const [key, child] of Object.entries(object)) {
    if (strip(child, path === "" ? key : `${path}.${key}`, expand, remove)) found = true;
  }
  return found;
}
