// A tiny path router. Patterns use ":name" segments; routes answer synchronously with a
// status and body, and may queue gateway events to go out after the HTTP answer.
import type { GatewayHub } from "./gateway.js";
import type { FakeState } from "./state.js";
import type { RecordedCall } from "./types.js";

/** What a route handler gets. */
export interface RouteContext {
  call: RecordedCall;
  params: Record<string, string>;
  state: FakeState;
  gateway: GatewayHub;
  /** Runs after the response is written, e.g. to dispatch the gateway event that follows a REST change. */
  after(fn: () => void): void;
}

/** What a route handler answers. */
export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One route: method, pattern like /channels/:channelId/messages, handler. */
export interface Route {
  method: string;
  pattern: string;
  handler: (ctx: RouteContext) => RouteResult;
}

/** A matched route with its captured parameters. */
export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/** First route matching the method and decoded path segments. */
export function matchRoute(routes: Route[], method: string, segments: string[]): RouteMatch | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const parts = route.pattern.split("/").filter(Boolean);
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const ok = parts.every((part, i) => {
      const segment = segments[i] ?? "";
      if (part.startsWith(":")) {
        params[part.slice(1)] = segment;
        return true;
      }
      return part === segment;
    });
    if (ok) return { route, params };
  }
  return undefined;
}

/** A captured parameter; routes only ask for names their pattern has. */
export function param(ctx: RouteContext, name: string): string {
  const value = ctx.params[name];
  if (value === undefined) throw new Error(`route has no parameter ${name}`);
  return value;
}

/** The body as a plain object (empty when absent or not an object). */
export function bodyOf(ctx: RouteContext): Record<string, unknown> {
  const body: unknown = ctx.call.body;
  return typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/** 200 with a JSON body. */
export function ok(body: unknown): RouteResult {
  return { status: 200, body };
}

/** 201 Created with the new resource (Discord answers thread creation this way). */
export function created(body: unknown): RouteResult {
  return { status: 201, body };
}

/** 204 No Content. */
export function noContent(): RouteResult {
  return { status: 204 };
}
