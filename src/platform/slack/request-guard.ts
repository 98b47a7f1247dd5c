// Slack's HTTP mode counterpart of frame-guard.ts. Bolt's HTTPReceiver parses each request in
// an async closure nobody awaits and reads `body.ssl_check` before checking the body is an
// object: a signed body of `null` (or `payload=null`) rejected there, an unhandled rejection
// that stopped the process, and the request was never answered. An event_callback whose
// `event` is not an object fails later, answered 500, so Slack sends it three more times.
// Requests are therefore read and checked before Bolt sees them: a signed body that does not
// have a shape Slack sends is logged and acknowledged (200, so Slack does not retry what can
// never work), and dropped. Unsigned requests go on to Bolt, which refuses them with 401.
import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseForm } from "node:querystring";
import { isValidSlackRequest } from "@slack/bolt";
import { readRawBody } from "../../http/http-server.js";
import type { Logger } from "../../log/logger.js";

/** Bolt's own limit on a request body. */
const BODY_LIMIT = 4 * 1024 * 1024;
const FORM = "application/x-www-form-urlencoded";
/** What Slack posts as JSON to an HTTP-mode app (interactions and commands come as forms). */
const JSON_TYPES = new Set(["event_callback", "url_verification", "app_rate_limited"]);

/**
 * Why a request body cannot be handled, or undefined when it can. Read as Bolt reads it: a
 * form when the content type is exactly Slack's form type, JSON otherwise.
 */
export function requestProblem(contentType: string | undefined, text: string): string | undefined {
  if (contentType === FORM) {
    const form = parseForm(text);
    if (form.ssl_check !== undefined) return undefined;
    if (form.payload === undefined) return form.command === undefined ? "a form that is neither a command nor an interaction" : commandProblem(form);
    if (typeof form.payload !== "string") return "a form with more than one payload";
    const payload = parseJson(form.payload);
    if (payload === undefined) return "an interaction payload that is not JSON";
    if (!isObject(payload)) return "an interaction payload that is not an object";
    return interactionProblem(payload);
  }
  const body = parseJson(text);
  if (body === undefined) return "a body that is not JSON";
  if (!isObject(body)) return "a body that is not a JSON object";
  if (typeof body.type !== "string") return "a body without a type";
  if (!JSON_TYPES.has(body.type)) return `a body of unknown type ${JSON.stringify(body.type.slice(0, 40))}`;
  if (body.type === "event_callback") {
    const event = body.event;
    if (!isObject(event) || typeof event.type !== "string") return "an event_callback without an event type";
    // Bolt looks inside `item` (reactions, stars) with `in`, which throws on anything but an object.
    if (event.item !== undefined && !isObject(event.item)) return "an event whose item is not an object";
  }
  return undefined;
}

/** Fields Slack sends with every slash command, which Bolt and the command handler read. */
const COMMAND_FIELDS = ["command", "team_id", "user_id", "channel_id", "response_url"] as const;

function commandProblem(form: Record<string, unknown>): string | undefined {
  const missing = COMMAND_FIELDS.filter((field) => typeof form[field] !== "string" || form[field] === "");
  return missing.length > 0 ? `a slash command without ${missing.join(", ")}` : undefined;
}

/** The parts of an interaction Bolt and the handlers read without checking (Bolt reads `channel.id` whenever `channel` is there). */
function interactionProblem(payload: Record<string, unknown>): string | undefined {
  const type = payload.type;
  if (typeof type !== "string") return "an interaction payload without a type";
  if (!isObject(payload.user) || typeof payload.user.id !== "string") return `a ${type} payload without a user`;
  if (payload.channel !== undefined && !isObject(payload.channel)) return `a ${type} payload whose channel is not an object`;
  if (type === "message_action" && (!isObject(payload.channel) || !isObject(payload.message))) return "a message_action payload without its channel and message";
  if ((type === "view_submission" || type === "view_closed") && !isObject(payload.view)) return `a ${type} payload without its view`;
  return undefined;
}

/**
 * Reads the request, and drops it when it is signed and malformed; otherwise hands it on
 * (Bolt takes the body already read from `rawBody`). Returns whether it was handed on.
 */
export async function guardRequest(req: IncomingMessage, res: ServerResponse, signingSecret: string, log: Logger): Promise<boolean> {
  if (req.method !== "POST") return true;
  let raw: Buffer;
  try {
    raw = await readRawBody(req, BODY_LIMIT);
  } catch (error) {
    log.warn({ err: error }, "dropped a Slack request that could not be read");
    res.writeHead(413).end();
    return false;
  }
  (req as IncomingMessage & { rawBody?: Buffer }).rawBody = raw;
  const text = raw.toString("utf8");
  const problem = requestProblem(req.headers["content-type"], text);
  if (!problem || !isSigned(req, text, signingSecret)) return true;
  log.warn({ why: problem, bytes: raw.length }, "dropped a Slack request that could not be handled");
  res.writeHead(200).end();
  return false;
}

function isSigned(req: IncomingMessage, body: string, signingSecret: string): boolean {
  const signature = req.headers["x-slack-signature"];
  const timestamp = Number(req.headers["x-slack-request-timestamp"]);
  if (typeof signature !== "string" || !Number.isFinite(timestamp)) return false;
  return isValidSlackRequest({ signingSecret, body, headers: { "x-slack-signature": signature, "x-slack-request-timestamp": timestamp } });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
