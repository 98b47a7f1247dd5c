import type { FakeCore } from "./core.js";
import type { Params, StripeObject } from "./types.js";

/** What a route handler gets: decoded body and query, and path params such as `:id`. */
export interface RouteContext {
  core: FakeCore;
  params: Record<string, string>;
  body: Params;
  query: Params;
}

export type Handler = (ctx: RouteContext) => StripeObject;

export interface Route {
  method: string;
  segments: string[];
  handler: Handler;
  /** The top-level params the route takes (besides `expand`); anything else is refused as unknown. */
  accepts: ReadonlySet<string>;
}

/** The params of every list endpoint. */
export const LIST_PARAMS = ["limit", "starting_after", "ending_before", "created"] as const;

/**
 * Declares a route; `pattern` segments starting with `:` capture a path param. `accepts`
 * names the params it implements: like Stripe, any other param is a 400 `parameter_unknown`
 * (a param Stripe has but the fake does not implement is refused too, so a test notices).
 */
export function route(method: string, pattern: string, accepts: readonly string[], handler: Handler): Route {
  return { method, segments: pattern.split("/").filter(Boolean), handler, accepts: new Set(["expand", ...accepts]) };
}

export function matchRoute(
  routes: readonly Route[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | undefined {
  const parts = path.split("/").filter(Boolean).map((part) => decodeURIComponent(part));
  for (const candidate of routes) {
    if (candidate.method !== method || candidate.segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const matches = candidate.segments.every((segment, index) => {
      const part = parts[index] ?? "";
      if (segment.startsWith(":")) {
        params[segment.slice(1)] = part;
        return true;
      }
      return segment === part;
    });
    if (matches) return { route: candidate, params };
  }
  return undefined;
}
