// Slack's v0 request signing, and a client that posts signed requests to a Bolt HTTP endpoint
// the way Slack does.
import { createHmac } from "node:crypto";

/** The two headers Slack adds to every request it sends an app. */
export interface SlackSignatureHeaders {
  "x-slack-signature": string;
  "x-slack-request-timestamp": string;
}

/** Options for {@link postSigned}, mostly for negative tests. */
export interface PostSignedOptions {
  /** Unix seconds to sign with and send; now when omitted (Bolt rejects more than 300 s in the past). */
  timestampSeconds?: number;
  /**
   * Defaults to JSON for a body starting with "{" (Events API), otherwise
   * `application/x-www-form-urlencoded` exactly: Bolt only parses a form when the header has no charset.
   */
  contentType?: string;
  /** Sent instead of the correct signature. */
  signature?: string;
}

/** `v0=hex(HMAC_SHA256(secret, "v0:" + timestamp + ":" + rawBody))`, with the timestamp header that goes with it. */
export function signSlackRequest(signingSecret: string, rawBody: string, timestampSeconds = Math.floor(Date.now() / 1000)): SlackSignatureHeaders {
  const timestamp = String(Math.floor(timestampSeconds));
  const digest = createHmac("sha256", signingSecret).update(`v0:${timestamp}:${rawBody}`).digest("hex");
  return { "x-slack-signature": `v0=${digest}`, "x-slack-request-timestamp": timestamp };
}

/** POSTs a signed request (e.g. to http://127.0.0.1:PORT/slack/events) and returns the status and raw body. */
export async function postSigned(url: string, signingSecret: string, body: string, opts: PostSignedOptions = {}): Promise<{ status: number; body: string }> {
  const signed = signSlackRequest(signingSecret, body, opts.timestampSeconds);
  const contentType = opts.contentType ?? (body.trimStart().startsWith("{") ? "application/json" : "application/x-www-form-urlencoded");
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": contentType,
      "x-slack-request-timestamp": signed["x-slack-request-timestamp"],
      "x-slack-signature": opts.signature ?? signed["x-slack-signature"],
    },
    body,
  });
  return { status: response.status, body: await response.text() };
}
