// The REST side of the fake: parse and record every request, apply canned failures, route,
// and answer with Discord's rate-limit headers so discord.js's limiter behaves as in production.
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { apiError, defaultFailureBody, rateLimitBody, unknown } from "./api-errors.js";
import type { GatewayHub } from "./gateway.js";
import type { CallRecorder } from "./recorder.js";
import { readBody } from "./request-body.js";
import { type Route, type RouteResult, matchRoute } from "./router.js";
import type { FakeState } from "./state.js";
import type { FailResponse, RecordedCall } from "./types.js";
import { validateUploads } from "./validate.js";

/** Routes Discord serves without a bot token: they are authorised by the interaction token. */
const TOKEN_AUTHORISED = /^\/(interactions|webhooks)\//;
const MAJOR_PARAMS = new Set(["channelId", "guildId", "appId", "token"]);

/** Handles one HTTP request against the routes. */
export class RestHandler {
  constructor(
    private readonly state: FakeState,
    private readonly recorder: CallRecorder,
    private readonly gateway: GatewayHub,
    private readonly routes: Route[],
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const prefix = /^\/api(\/v\d+)?(?=\/|$)/.exec(url.pathname);
    // Decoding per segment turns %40original into @original while a "/" inside a segment stays put.
    const segments = url.pathname.slice(prefix?.[0].length ?? 0).split("/").filter(Boolean).map(decodeSegment);
    const parsed = await readBody(req);
    const call: RecordedCall = {
      method: (req.method ?? "GET").toUpperCase(),
      path: `/${segments.join("/")}`,
      query: Object.fromEntries(url.searchParams),
      body: parsed.body,
      files: parsed.files,
      headers: headersOf(req),
      at: Date.now(),
    };
    const answer = await this.#answer(call, segments, prefix !== null, parsed.invalid === true);
    send(res, call, answer.result, answer.bucket);
    for (const fn of answer.after) fn();
  }

  /**
   * A request that arrives without HTTP: Discord applying an Interactions Endpoint's answer as
   * the interaction's callback. Recorded, checked and routed like any call; resolves once answered.
   */
  async apply(method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<RecordedCall> {
    const segments = path.split("/").filter(Boolean);
    const call: RecordedCall = { method, path: `/${segments.join("/")}`, query: {}, body, files: [], headers, at: Date.now() };
    const answer = await this.#answer(call, segments, true, false);
    const snapshot = answer.result.body === undefined ? undefined : (JSON.parse(JSON.stringify(answer.result.body)) as unknown);
    call.response = { status: answer.result.status, body: snapshot, headers: answer.result.headers ?? {} };
    for (const fn of answer.after) fn();
    return call;
  }

  async #answer(call: RecordedCall, segments: string[], prefixed: boolean, invalid: boolean): Promise<{ result: RouteResult; bucket: string; after: (() => void)[] }> {
    const none = (result: RouteResult, bucket = "none") => ({ result, bucket, after: [] });
    this.recorder.record(call);
    await this.recorder.waitIfHeld(call);
    const failure = this.recorder.takeFailure(call);
    if (failure) return none(failureResult(failure), bucketOf(call.method, call.path));
    if (!prefixed) return none(unknown.route());
    if (invalid) return none(apiError(400, 50109, "The request body contains invalid JSON."));
    const upload = validateUploads(call.body, call.files);
    if (upload) return none(upload);
    if (!TOKEN_AUTHORISED.test(call.path) && !call.headers.authorization?.startsWith("Bot ")) return none(apiError(401, 0, "401: Unauthorized"));
    const match = matchRoute(this.routes, call.method, segments);
    if (!match) return none(unknown.route(), bucketOf(call.method, call.path));
    const after: (() => void)[] = [];
    let result: RouteResult;
    try {
      result = match.route.handler({ call, params: match.params, state: this.state, gateway: this.gateway, after: (fn) => after.push(fn) });
    } catch (error) {
      result = apiError(500, 0, `Fake Discord failed on ${call.method} ${call.path}: ${String(error)}`);
    }
    const major = Object.entries(match.params).filter(([k]) => MAJOR_PARAMS.has(k)).map(([, v]) => v);
    call.route = match.route.pattern;
    return { result, bucket: bucketOf(call.method, `${match.route.pattern}:${major.join(":")}`), after };
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function headersOf(req: IncomingMessage): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  return headers;
}

function bucketOf(method: string, key: string): string {
  return createHash("sha1").update(`${method} ${key}`).digest("hex").slice(0, 16);
}

/** A canned failure as a full answer; 429s get the headers discord.js reads to schedule its retry. */
function failureResult(failure: FailResponse): RouteResult {
  const given = failure.body ?? defaultFailureBody(failure.status);
  const isObject = typeof given === "object" && given !== null && !Array.isArray(given);
  const body = failure.status === 429 && isObject ? rateLimitBody(given as Record<string, unknown>) : given;
  const headers: Record<string, string> = {};
  if (failure.status === 429) {
    const retryAfter = Number((body as { retry_after?: unknown }).retry_after ?? 1);
    const global = (body as { global?: unknown }).global === true;
    Object.assign(headers, {
      "retry-after": String(retryAfter),
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset-after": retryAfter.toFixed(3),
      "x-ratelimit-reset": (Date.now() / 1000 + retryAfter).toFixed(3),
      "x-ratelimit-scope": global ? "global" : "user",
      ...(global ? { "x-ratelimit-global": "true" } : {}),
    });
  }
  // Lower-case the test's headers so "Retry-After" replaces the default instead of doubling it.
  const overrides = Object.fromEntries(Object.entries(failure.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return { status: failure.status, body, headers: { ...headers, ...overrides } };
}

/** Writes the answer, and keeps a copy on the call it answers (for contract tests). */
function send(res: ServerResponse, call: RecordedCall, result: RouteResult, bucket: string): void {
  // Generous limits: discord.js never waits on its own unless a test makes it (failNext 429).
  const headers: Record<string, string> = {
    "x-ratelimit-limit": "50",
    "x-ratelimit-remaining": "49",
    "x-ratelimit-reset": (Date.now() / 1000 + 1).toFixed(3),
    "x-ratelimit-reset-after": "1.000",
    "x-ratelimit-bucket": bucket,
    ...result.headers,
  };
  if (result.status === 204 || result.body === undefined) {
    call.response = { status: result.status, body: undefined, headers };
    res.writeHead(result.status, headers).end();
    return;
  }
  const text = JSON.stringify(result.body);
  // A snapshot: the stored objects change with later requests, the answer sent does not.
  call.response = { status: result.status, body: JSON.parse(text) as unknown, headers };
  res.writeHead(result.status, { ...headers, "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) }).end(text);
}
