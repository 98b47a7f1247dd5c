import { toPlainText, toSlackMrkdwn } from "../../core/markup.js";
import { LIMITS, type MessageContent, type Tone, truncate } from "../../core/reply.js";

type Block = Record<string, unknown>;

const TONE_PREFIX: Record<Tone, string> = { info: "", success: ":white_check_mark: ", warning: ":warning: ", error: ":x: " };
const HEADER_MAX = 150;
const FIELDS_PER_SECTION = 10;
const FIELD_MAX = 2000;

/** Slack message parts: Block Kit blocks and the plain-text fallback for notifications. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** The action id of a button: `gh:<action>`; the value travels separately. */
export function actionIdFor(action: string): string {
  return `gh:${action}`;
}

/** An emoji or a :shortcode: at the start: a text that brings its own decoration. */
const LEADING_DECORATION = /^\s*(?:\p{Extended_Pictographic}|\p{Regional_Indicator}|:[a-z0-9_+'-]+:)/u;

/**
 * The tone's emoji, unless the text already opens with one ("✅ Accepted …" with the success
 * tone read "✅ ✅ Accepted …"): one decoration per message.
 */
function tonePrefix(message: MessageContent): string {
  const prefix = TONE_PREFIX[message.tone ?? "info"];
  return prefix && LEADING_DECORATION.test(message.text ?? "") ? "" : prefix;
}

/** Renders a message as Block Kit, splitting long text into sections Slack accepts. */
export function renderSlackMessage(message: MessageContent): SlackMessage {
  const blocks: Block[] = [];
  const prefix = tonePrefix(message);
  if (message.title) blocks.push({ type: "header", text: { type: "plain_text", text: truncate(`${message.title}`, HEADER_MAX) } });
  if (message.text) {
    for (const chunk of chunks(toSlackMrkdwn(message.text), LIMITS.slackSectionText)) {
      blocks.push({ type: "section", text: { type: "mrkdwn", text: blocks.length === (message.title ? 1 : 0) ? `${prefix}${chunk}` : chunk } });
    }
  }
  const fields = message.fields ?? [];
  for (let i = 0; i < fields.length; i += FIELDS_PER_SECTION) {
    blocks.push({
      type: "section",
      fields: fields.slice(i, i + FIELDS_PER_SECTION).map((f) => ({ type: "mrkdwn", text: truncate(`*${toSlackMrkdwn(f.name)}*\n${toSlackMrkdwn(f.value || "—")}`, FIELD_MAX) })),
    });
  }
  const elements = [
    ...(message.links ?? []).map((l, i) => ({ type: "button", action_id: `link:${i}`, text: { type: "plain_text", text: truncate(l.label, LIMITS.slackButtonText) }, url: l.url })),
    ...(message.buttons ?? []).map((b) => ({
      type: "button",
      action_id: actionIdFor(b.action),
      text: { type: "plain_text", text: truncate(b.label, LIMITS.slackButtonText) },
      ...(b.value !== undefined ? { value: b.value } : {}),
      ...(b.style === "primary" ? { style: "primary" } : b.style === "danger" ? { style: "danger" } : {}),
    })),
  ];
  for (let i = 0; i < elements.length; i += 25) blocks.push({ type: "actions", elements: elements.slice(i, i + 25) });
  if (message.footer) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: toSlackMrkdwn(message.footer) }] });
  const fallback = [message.title, message.text].filter(Boolean).map((t) => toPlainText(t!)).join(": ");
  return { text: truncate(`${prefix}${fallback}`, 3000), blocks: blocks.slice(0, LIMITS.slackBlocks) };
}

/** Splits text at line breaks where possible so no section passes Slack's limit. */
function chunks(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const cut = rest.lastIndexOf("\n", max);
    const at = cut > max / 2 ? cut : max;
    out.push(rest.slice(0, at));
    rest = rest.slice(at).replace(/^\n/, "");
  }
  if (rest) out.push(rest);
  return out;
}
