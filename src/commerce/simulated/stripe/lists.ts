import { exclusive, invalid } from "./errors.js";
import { optInt, optString } from "./form.js";
import type { Params, StripeObject } from "./types.js";

/** Stripe's list envelope. */
export interface ListPage {
  object: "list";
  data: StripeObject[];
  has_more: boolean;
  url: string;
}

/** Newest first by `created`; among equal timestamps, the later-created object first. */
export function newestFirst(objects: Iterable<StripeObject>): StripeObject[] {
  // A deleted customer's tombstone has no `created`: it sorts last.
  return [...objects].reverse().sort((a, b) => Number(b["created"] ?? 0) - Number(a["created"] ?? 0));
}

/**
 * Pages through `all` (any order; sorted here) with Stripe's rules: `limit` 1..100 (default 10),
 * cursors by id, exact `has_more`. Cursors are positions in the unfiltered order, so a cursor
 * object that the filter excludes still works, as on Stripe.
 */
export function paginate(
  all: Iterable<StripeObject>,
  query: Params,
  url: string,
  keep: (object: StripeObject) => boolean = () => true,
): ListPage {
  const limit = optInt(query, "limit") ?? 10;
  if (limit < 1 || limit > 100) {
    throw invalid("This value must be greater than or equal to 1 and less than or equal to 100.", "limit");
  }
  const ordered = newestFirst(all);
  const startingAfter = optString(query, "starting_after");
  const endingBefore = optString(query, "ending_before");
  if (startingAfter && endingBefore) {
    throw exclusive(["ending_before", "starting_after"]);
  }
  const positionOf = (id: string, param: string): number => {
    const index = ordered.findIndex((object) => object["id"] === id);
    if (index < 0) throw invalid(`No such object: '${id}'`, param, "resource_missing");
    return index;
  };
  const candidates = ordered.map((object, index) => ({ object, index })).filter(({ object }) => keep(object));

  if (endingBefore) {
    const cursor = positionOf(endingBefore, "ending_before");
    const before = candidates.filter(({ index }) => index < cursor);
    const page = before.slice(Math.max(0, before.length - limit));
    return { object: "list", data: page.map(({ object }) => object), has_more: before.length > limit, url };
  }
  const cursor = startingAfter ? positionOf(startingAfter, "starting_after") : -1;
  const after = candidates.filter(({ index }) => index > cursor);
  return { object: "list", data: after.slice(0, limit).map(({ object }) => object), has_more: after.length > limit, url };
}

/**
 * Builds a test for a range param like `created` (`created=123` or `created[gte]=...`), or
 * `undefined` when the param is absent.
 */
export function rangeFilter(query: Params, key: string): ((value: number) => boolean) | undefined {
  const raw: unknown = query[key];
  if (raw === undefined || raw === "") return undefined;
  if (typeof raw === "string") {
    const exact = optInt(query, key);
    return (value) => value === exact;
  }
  const range = raw as Params;
  const bound = (name: string): number | undefined => optInt(range, name, `${key}[${name}]`) ?? undefined;
  const gt = bound("gt");
  const gte = bound("gte");
  const lt = bound("lt");
  const lte = bound("lte");
  return (value) =>
    (gt === undefined || value > gt) &&
    (gte === undefined || value >= gte) &&
    (lt === undefined || value < lt) &&
    (lte === undefined || value <= lte);
}

/** Combines filters; each is skipped when `undefined`. */
export function allOf(...tests: (((object: StripeObject) => boolean) | undefined)[]): (object: StripeObject) => boolean {
  const active = tests.filter((test): test is (object: StripeObject) => boolean => test !== undefined);
  return (object) => active.every((test) => test(object));
}

/** A filter on one field equal to a query param, or `undefined` when the param is absent. */
export function fieldEquals(query: Params, param: string, field = param): ((object: StripeObject) => boolean) | undefined {
  const wanted = optString(query, param);
  if (wanted === undefined || wanted === null) return undefined;
  return (object) => String(object[field]) === wanted;
}

/** A filter on `created` from the `created` query param. */
export function createdFilter(query: Params): ((object: StripeObject) => boolean) | undefined {
  const test = rangeFilter(query, "created");
  return test && ((object) => test(Number(object["created"])));
}
