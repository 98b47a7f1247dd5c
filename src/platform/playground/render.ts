import { toPlainText } from "../../core/markup.js";
import type { MessageContent, Reply, ReplyButton } from "../../core/reply.js";

/**
 * Plain text for the terminal. Playground members' ids are `pg-<name>`, which the shared
 * mention tokens do not cover, so they are shown as `@Name` here before the rest (the name as
 * the member typed it in /as, when `nameOf` knows it).
 */
export function playgroundText(text: string, nameOf?: (userId: string) => string): string {
  return toPlainText(text.replace(/\[\[@(pg-[\p{L}\p{N}_.-]{1,32})\]\]/gu, (_, id: string) => `@${nameOf?.(id) ?? id.slice(3)}`));
}

/** How the terminal shows what only it knows: buttons' handles (`b1`) and members' names. */
export interface TerminalView {
  /** Gives a button the handle `/press` takes. */
  readonly handles?: (button: ReplyButton) => string;
  readonly nameOf?: (userId: string) => string;
}

/** Renders a message as plain text lines for a terminal; buttons show how to press them. */
export function renderMessage(message: MessageContent, view: TerminalView = {}): string[] {
  const lines: string[] = [];
  const text = (t: string) => playgroundText(t, view.nameOf);
  const { handles } = view;
  if (message.title) lines.push(`== ${text(message.title)} ==`);
  if (message.text) lines.push(...text(message.text).split("\n"));
  for (const f of message.fields ?? []) {
    const value = text(f.value).split("\n");
    lines.push(value.length === 1 ? `${f.name}: ${value[0]}` : `${f.name}:`, ...(value.length === 1 ? [] : value.map((v) => `  ${v}`)));
  }
  for (const l of message.links ?? []) lines.push(`[${l.label}] ${l.url}`);
  if (message.buttons?.length) lines.push(message.buttons.map((b) => (handles ? `[ ${b.label} ] /press ${handles(b)}` : `[ ${b.label} ]`)).join("   "));
  if (message.footer) lines.push(`-- ${text(message.footer)}`);
  return lines;
}

/** A private message, marked with who it is for: `🔒 to Bob (private):` then the message. */
export function renderPrivate(to: string, message: MessageContent, view: TerminalView = {}): string {
  return [`🔒 to ${to} (private):`, ...renderMessage(message, view).map((l) => `  ${l}`)].join("\n");
}

/** A whole reply to `you`: visibility, the message, then any thread and private message it opens. */
export function renderReply(reply: Reply, you: string, view: TerminalView = {}): string {
  const out: string[] = [];
  const head = reply.visibility === "ephemeral" ? "(only you can see this)" : "(posted in the channel)";
  out.push(head, ...renderMessage(reply, view).map((l) => `  ${l}`));
  if (reply.thread) out.push(`(thread “${reply.thread.name}” opened)`, ...renderMessage(reply.thread.message, view).map((l) => `  ${l}`));
  if (reply.directMessage) out.push(renderPrivate(you, reply.directMessage, view));
  return out.join("\n");
}
