import { toPlainText } from "../../core/markup.js";
import type { MessageContent, Reply, ReplyButton } from "../../core/reply.js";

/**
 * Plain text for the terminal. Playground members' ids are `pg-<name>`, which the shared
 * mention tokens do not cover, so they are shown as `@name` here before the rest.
 */
export function playgroundText(text: string): string {
  return toPlainText(text.replace(/\[\[@pg-([\p{L}\p{N}_.-]{1,32})\]\]/gu, "@$1"));
}

/** Gives a button shown in the terminal the handle `/press` takes (`b1`). */
export type ButtonHandles = (button: ReplyButton) => string;

/** Renders a message as plain text lines for a terminal; buttons show how to press them. */
export function renderMessage(message: MessageContent, handles?: ButtonHandles): string[] {
  const lines: string[] = [];
  if (message.title) lines.push(`== ${playgroundText(message.title)} ==`);
  if (message.text) lines.push(...playgroundText(message.text).split("\n"));
  for (const f of message.fields ?? []) {
    const value = playgroundText(f.value).split("\n");
    lines.push(value.length === 1 ? `${f.name}: ${value[0]}` : `${f.name}:`, ...(value.length === 1 ? [] : value.map((v) => `  ${v}`)));
  }
  for (const l of message.links ?? []) lines.push(`[${l.label}] ${l.url}`);
  if (message.buttons?.length) lines.push(message.buttons.map((b) => (handles ? `[ ${b.label} ] /press ${handles(b)}` : `[ ${b.label} ]`)).join("   "));
  if (message.footer) lines.push(`-- ${playgroundText(message.footer)}`);
  return lines;
}

/** A private message, marked with who it is for: `🔒 to Bob (private):` then the message. */
export function renderPrivate(to: string, message: MessageContent, handles?: ButtonHandles): string {
  return [`🔒 to ${to} (private):`, ...renderMessage(message, handles).map((l) => `  ${l}`)].join("\n");
}

/** A whole reply to `you`: visibility, the message, then any thread and private message it opens. */
export function renderReply(reply: Reply, you: string, handles?: ButtonHandles): string {
  const out: string[] = [];
  const head = reply.visibility === "ephemeral" ? "(only you can see this)" : "(posted in the channel)";
  out.push(head, ...renderMessage(reply, handles).map((l) => `  ${l}`));
  if (reply.thread) out.push(`(thread “${reply.thread.name}” opened)`, ...renderMessage(reply.thread.message, handles).map((l) => `  ${l}`));
  if (reply.directMessage) out.push(renderPrivate(you, reply.directMessage, handles));
  return out.join("\n");
}
