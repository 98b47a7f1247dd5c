// Reads a Web API request the way Slack accepts it: form fields (what @slack/web-api sends,
// with nested values as JSON strings) or a JSON body, plus query-string fields.
import type { IncomingMessage } from "node:http";
import type { SlackArgs } from "./types.js";

/** Fields @slack/web-api serialises as JSON strings; the fake records them as objects. */
const JSON_FIELDS = ["blocks", "attachments", "view"] as const;

/** The parsed request: fields and the caller's token. */
export interface ParsedRequest {
  args: SlackArgs;
  token: string | undefined;
}

/** Reads and parses the whole request. */
export async function readRequest(req: IncomingMessage): Promise<ParsedRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  const query = new URL(req.url ?? "/", "http://fake").searchParams;
  const args: SlackArgs = { ...Object.fromEntries(query), ...parseBody(text, req.headers["content-type"] ?? "") };
  for (const field of JSON_FIELDS) if (field in args) args[field] = parseJsonField(args[field]);
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1];
  const token = bearer ?? (typeof args.token === "string" ? args.token : undefined);
  return { args, token };
}

function parseBody(text: string, contentType: string): SlackArgs {
  if (text.length === 0) return {};
  if (contentType.includes("json")) {
    try {
      const parsed = JSON.parse(text) as unknown;
      return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as SlackArgs) : { _body: parsed };
    } catch {
      return { _invalid_json: text };
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}

function parseJsonField(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value; // not JSON: keep what was sent so the test can see it
  }
}
