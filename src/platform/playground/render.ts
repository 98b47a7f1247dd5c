import { toPlainText } from "../../core/markup.js";
import type { MessageContent, Reply } from "../../core/reply.js";

/** Renders a message as indented plain text for a terminal. */
export function renderMessage(message: MessageContent): string[] {
  const lines: string[] = [];
  if (message.title) lines.push(`== ${toPlainText(message.title)} ==`);
  if (message.text) lines.push(...toPlainText(message.text).split("\n"));
  for (const f of message.fields ?? []) {
    const value = toPlainText(f.value).split("\n");
    lines.push(value.length === 1 ? `${f.name}: ${value[0]}` : `${f.name}:`, ...(value.length === 1 ? [] : value.map((v) => `  ${v}`)));
  }
  for (const l of message.links ?? []) lines.push(`[${l.label}] ${l.url}`);
  if (message.buttons?.length) lines.push(message.buttons.map((b) => `[ ${b.label} ]`).join(" "));
  if (message.footer) lines.push(`-- ${toPlainText(message.footer)}`);
  return lines;
}

/** A whole reply: visibility, the message, then any thread and direct message it opens. */
export function renderReply(reply: Reply): string {
  const out: string[] = [];
  const head = reply.visibility === "ephemeral" ? "(only you can see this)" : "(posted in the channel)";
  out.push(head, ...renderMessage(reply).map((l) => `  ${l}`));
  if (reply.thread) out.push(`(thread “${reply.thread.name}” opened)`, ...renderMessage(reply.thread.message).map((l) => `  ${l}`));
  if (reply.directMessage) out.push("(direct message to you)", ...renderMessage(reply.directMessage).map((l) => `  ${l}`));
  return out.join("\n");
}
