import { toPlainText } from "../../core/markup.js";
import type { MessageContent, Reply } from "../../core/reply.js";

/**
 * Plain text for the terminal. Playground members' ids are `pg-<name>`, which the shared
 * mention tokens do not cover, so they are shown as `@name` here before the rest.
 */
export function playgroundText(text: string): string {
  return toPlainText(text.replace(/\[\[@pg-([\p{L}\p{N}_.-]{1,32})\]\]/gu, "@$1"));
}

/** Renders a message as indented plain text for a terminal. */
export function renderMessage(message: MessageContent): string[] {
  const lines: string[] = [];
  if (message.title) lines.push(`== ${playgroundText(message.title)} ==`);
  if (message.text) lines.push(...playgroundText(message.text).split("\n"));
  for (const f of message.fields ?? []) {
    const value = playgroundText(f.value).split("\n");
    lines.push(value.length === 1 ? `${f.name}: ${value[0]}` : `${f.name}:`, ...(value.length === 1 ? [] : value.map((v) => `  ${v}`)));
  }
  for (const l of message.links ?? []) lines.push(`[${l.label}] ${l.url}`);
  if (message.buttons?.length) lines.push(message.buttons.map((b) => `[ ${b.label} ]`).join(" "));
  if (message.footer) lines.push(`-- ${playgroundText(message.footer)}`);
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
