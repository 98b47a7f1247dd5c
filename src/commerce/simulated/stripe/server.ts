import type { IncomingMessage, ServerResponse } from "node:http";
import { FAKE_API_VERSION, type FakeCore } from "./core.js";
import { StripeApiError, unknownParams, unrecognized } from "./errors.js";
import { listParam } from "./form.js";
import { publicView } from "./views.js";
import { decodeForm } from "./form.js";
import { matchRoute, type Route } from "./router.js";
import type { InjectedResponse, Params, RecordedCall, StripeObject } from "./types.js";

/** A `failNext` rule: answers matching requests with `response` while `remaining` lasts. */
export interface FailureRule {
  pred: (call: { method: string; path: string }) => boolean;
  response: InjectedResponse;
  remaining: number;
}

export interface ServerDeps {
  core: FakeCore;
  routes: readonly Route[];
  /** Every request is recorded here when given (tests read it). */
  calls?: RecordedCall[];
  failures: FailureRule[];
  /** Keys answered with 401 as if rolled or deleted in the dashboard. */
  rejectedKeys: ReadonlySet<string>;
  /** Non-API pages (the hosted checkout and portal stand-ins), with the decoded form; returns false when not handled. */
  pages: (method: string, path: string, res: ServerResponse, form: Params) => boolean;
}

interface StoredResponse {
  fingerprint: string;
  requestId: string;
  status: number;
  body: unknown;
}

/** "sk_test_****abcd": how Stripe echoes a key it refuses. */
function redactKey(secret: string): string {
  const prefix = /^(sk|rk)_(test|live)_/.exec(secret)?.[0] ?? "";
  return `${prefix}${"*".repeat(Math.max(0, secret.length - prefix.length - 4))}${secret.slice(-4)}`;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value as Params).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, call?: RecordedCall): void {
  if (call) {
    call.status = status;
    call.response = body;
  }
  const text = typeof body === "string" ? body : JSON.stringify(body, null, 2);
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(text);
}


/**
 * The request listener: records every call, applies `failNext` rules, replays idempotent POSTs,
 * routes to a handler and answers JSON the way api.stripe.com does.
 */
export function createListener(deps: ServerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const idempotent = new Map<string, StoredResponse>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname;
    const raw = await readBody(req);
    const query = decodeForm(url.search.slice(1));
    const body: Params = raw === "" ? {} : String(req.headers["content-type"]).includes("json") ? (JSON.parse(raw) as Params) : decodeForm(raw);
    const key = req.headers["idempotency-key"];
    const idempotencyKey = typeof key === "string" && key !== "" ? key : undefined;
    const call: RecordedCall = { method, path, body, query, ...(idempotencyKey ? { idempotencyKey } : {}), at: Date.now() };
    deps.calls?.push(call);

    const requestId = deps.core.id("req", 14);
    const headers: Record<string, string> = {
      "request-id": requestId,
      "stripe-version": String(req.headers["stripe-version"] ?? FAKE_API_VERSION),
      ...(idempotencyKey ? { "idempotency-key": idempotencyKey } : {}),
    };

    const rule = deps.failures.find((candidate) => candidate.remaining > 0 && candidate.pred({ method, path }));
    if (rule) {
      rule.remaining -= 1;
      if (rule.remaining === 0) deps.failures.splice(deps.failures.indexOf(rule), 1);
      send(res, rule.response.status, rule.response.body, { ...headers, ...rule.response.headers }, call);
      return;
    }
    if (!path.startsWith("/v1/")) {
      if (!deps.pages(method, path, res, body)) send(res, 404, unrecognized(method, path).toJSON(), headers, call);
      return;
    }
    if (!req.headers.authorization) {
      send(res, 401, { error: { type: "invalid_request_error", message: "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')." } }, headers, call);
      return;
    }

    const secret = String(req.headers.authorization).replace(/^Bearer\s+/i, "");
    if (!/^(sk|rk)_(test|live)_\w+$/.test(secret) || deps.rejectedKeys.has(secret)) {
      // Stripe's answer to a wrong, rolled or deleted key; stripe-node turns a 401 into StripeAuthenticationError.
      send(res, 401, { error: { type: "invalid_request_error", message: `Invalid API Key provided: ${redactKey(secret)}` } }, headers, call);
      return;
    }

    const fingerprint = `${method} ${path} ${canonical(body)}`;
    const stored = idempotencyKey && method === "POST" ? idempotent.get(idempotencyKey) : undefined;
    if (stored) {
      if (stored.fingerprint === fingerprint) {
        send(res, stored.status, stored.body, { ...headers, "idempotent-replayed": "true", "original-request": stored.requestId }, call);
      } else {
        const error = new StripeApiError(400, "idempotency_error", `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${String(idempotencyKey)}' if you meant to execute a different request.`);
        send(res, 400, error.toJSON(), headers, call);
      }
      return;
    }

    let status = 200;
    let result: unknown;
    try {
      const match = matchRoute(deps.routes, method, path);
      if (!match) throw unrecognized(method, path);
      const unknown = Object.keys(method === "GET" || method === "DELETE" ? query : body).filter((key) => !match.route.accepts.has(key));
      if (unknown.length > 0) throw unknownParams(unknown);
      result = deps.core.withRequest({ id: requestId, idempotency_key: idempotencyKey ?? null }, () =>
        match.route.handler({ core: deps.core, params: match.params, body, query }));
    } catch (error) {
      const apiError = error instanceof StripeApiError
        ? error
        : new StripeApiError(500, "api_error", `fake stripe crashed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      status = apiError.status;
      result = apiError.toJSON();
    }
    if (status < 400) result = publicView(result, listParam(method === "GET" || method === "DELETE" ? query : body, "expand"));
    // Like Stripe, only requests that ran to a result are remembered (not validation failures).
    if (idempotencyKey && method === "POST" && status < 400) {
      idempotent.set(idempotencyKey, { fingerprint, requestId, status, body: structuredClone(result) as StripeObject });
    }
    send(res, status, result, headers, call);
  }

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { error: { type: "api_error", message: String(error) } });
      else res.destroy();
    });
  };
}
