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
}

/** Declares a route; `pattern` segments starting with `:` capture a path param. */
export function route(method: string, pattern: string, handler: Handler): Route {
  return { method, segments: pattern.split("/").filter(Boolean), handler };
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
