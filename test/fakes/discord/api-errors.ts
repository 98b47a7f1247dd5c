// Discord's error bodies. Codes are the documented JSON error codes, so discord.js raises a
// DiscordAPIError with the same `code` a real server would produce.
import type { RouteResult } from "./router.js";

/** Any error answer. */
export function apiError(status: number, code: number, message: string, errors?: unknown): RouteResult {
  return { status, body: errors === undefined ? { message, code } : { message, code, errors } };
}

/** 400 Invalid Form Body (50035) with Discord's nested `errors` object for one field. */
export function formError(path: (string | number)[], code: string, message: string): RouteResult {
  let errors: Record<string, unknown> = { _errors: [{ code, message }] };
  for (const key of [...path].reverse()) errors = { [String(key)]: errors };
  return apiError(400, 50035, "Invalid Form Body", errors);
}

/** Unknown-resource answers, by the resource name Discord uses. */
export const unknown = {
  application: () => apiError(404, 10002, "Unknown Application"),
  channel: () => apiError(404, 10003, "Unknown Channel"),
  guild: () => apiError(404, 10004, "Unknown Guild"),
  member: () => apiError(404, 10007, "Unknown Member"),
  message: () => apiError(404, 10008, "Unknown Message"),
  role: () => apiError(404, 10011, "Unknown Role"),
  user: () => apiError(404, 10013, "Unknown User"),
  webhook: () => apiError(404, 10015, "Unknown Webhook"),
  command: () => apiError(404, 10063, "Unknown application command"),
  interaction: () => apiError(404, 10062, "Unknown interaction"),
  route: () => apiError(404, 0, "404: Not Found"),
};

/** Default bodies for canned failures, so `failNext(pred, { status: 403 })` is enough. */
export function defaultFailureBody(status: number): unknown {
  switch (status) {
    case 400:
      return { message: "Invalid Form Body", code: 50035, errors: {} };
    case 401:
      return { message: "401: Unauthorized", code: 0 };
    case 403:
      return { message: "Missing Permissions", code: 50013 };
    case 404:
      return { message: "404: Not Found", code: 0 };
    case 429:
      return rateLimitBody({});
    default:
      return { message: `${status}: Fake failure`, code: 0 };
  }
}

/**
 * A 429 body with every field Discord sends (message, code, retry_after, global); a test's own
 * body keeps its values and gets the missing fields.
 */
export function rateLimitBody(body: Record<string, unknown>): Record<string, unknown> {
  return { message: "You are being rate limited.", code: 0, retry_after: 0.1, global: false, ...body };
}
