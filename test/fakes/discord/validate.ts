// Discord's limits on message bodies. Enforcing them here means a reply that would be rejected
// in production (2001 characters, 11 embeds, an empty message) is rejected in tests too.
import { apiError, formError } from "./api-errors.js";
import type { RouteResult } from "./router.js";
import type { RecordedFile } from "./types.js";

const COMPONENTS_V2 = 1 << 15;

interface Embed {
  title?: string;
  description?: string;
  fields?: { name?: string; value?: string }[];
  footer?: { text?: string };
  author?: { name?: string };
}

/**
 * An error answer when `body` breaks a limit; `at` prefixes the error path (["data"] for callbacks).
 * Edits pass `allowEmpty`, since they may change one field and leave the others as they were.
 */
export function validateMessage(body: Record<string, unknown>, at: (string | number)[] = [], files = 0, allowEmpty = false): RouteResult | undefined {
  const content = typeof body.content === "string" ? body.content : "";
  if (content.length > 2000) return formError([...at, "content"], "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.");
  const embeds = Array.isArray(body.embeds) ? (body.embeds as Embed[]) : [];
  if (embeds.length > 10) return formError([...at, "embeds"], "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.");
  for (const [i, embed] of embeds.entries()) {
    const problem = validateEmbed(embed, [...at, "embeds", i]);
    if (problem) return problem;
  }
  const components = Array.isArray(body.components) ? body.components : [];
  const v2 = typeof body.flags === "number" && (body.flags & COMPONENTS_V2) !== 0;
  if (!v2 && components.length > 5) return formError([...at, "components"], "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.");
  const hasSomething =
    content.length > 0 ||
    embeds.length > 0 ||
    components.length > 0 ||
    files > 0 ||
    (Array.isArray(body.sticker_ids) && body.sticker_ids.length > 0) ||
    body.poll !== undefined;
  if (!hasSomething && !allowEmpty) return apiError(400, 50006, "Cannot send an empty message");
  return undefined;
}

function validateEmbed(embed: Embed, at: (string | number)[]): RouteResult | undefined {
  const limits: [string | undefined, number, string][] = [
    [embed.title, 256, "title"],
    [embed.description, 4096, "description"],
    [embed.footer?.text, 2048, "footer"],
    [embed.author?.name, 256, "author"],
  ];
  for (const [text, max, field] of limits) {
    if (text !== undefined && text.length > max) return formError([...at, field], "BASE_TYPE_MAX_LENGTH", `Must be ${max} or fewer in length.`);
  }
  const fields = embed.fields ?? [];
  if (fields.length > 25) return formError([...at, "fields"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
  for (const [i, field] of fields.entries()) {
    if ((field.name ?? "").length > 256) return formError([...at, "fields", i, "name"], "BASE_TYPE_MAX_LENGTH", "Must be 256 or fewer in length.");
    if ((field.value ?? "").length > 1024) return formError([...at, "fields", i, "value"], "BASE_TYPE_MAX_LENGTH", "Must be 1024 or fewer in length.");
  }
  const total = limits.reduce((sum, [text]) => sum + (text?.length ?? 0), 0) + fields.reduce((s, f) => s + (f.name ?? "").length + (f.value ?? "").length, 0);
  if (total > 6000) return formError(at, "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000");
  return undefined;
}

/** A thread name error, if any: Discord wants 1 to 100 characters. */
export function validateThreadName(name: unknown): RouteResult | undefined {
  if (typeof name !== "string" || name.length === 0) return formError(["name"], "BASE_TYPE_REQUIRED", "This field is required");
  if (name.length > 100) return formError(["name"], "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.");
  return undefined;
}

/** Forum posts carry at most 5 tags, each one the forum offers (tags are sent by id, not name). */
export function validateAppliedTags(forum: Record<string, unknown> | undefined, tags: unknown): RouteResult | undefined {
  if (tags === undefined) return undefined;
  if (!Array.isArray(tags)) return formError(["applied_tags"], "BASE_TYPE_BAD_TYPE", "Must be an array.");
  if (tags.length > 5) return formError(["applied_tags"], "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.");
  const offered = new Set((Array.isArray(forum?.available_tags) ? (forum.available_tags as { id: string }[]) : []).map((t) => t.id));
  const index = tags.findIndex((t) => !offered.has(String(t)));
  return index === -1 ? undefined : formError(["applied_tags", index], "TAG_INVALID", "Unknown tag for this forum.");
}

/**
 * Uploads (multipart): file parts are `files[n]`, and an `attachments` entry that describes a
 * new upload names it by that n; one naming an upload that was not sent is refused, as Discord
 * refuses it. Larger ids are attachments the message already has (kept on an edit).
 */
export function validateUploads(body: unknown, files: readonly RecordedFile[]): RouteResult | undefined {
  if (files.length === 0) return undefined;
  const sent = new Set<number>();
  for (const file of files) {
    const index = /^files\[(\d+)\]$/.exec(file.field)?.[1];
    if (index === undefined) return formError([file.field], "BASE_TYPE_BAD_TYPE", "File parts are named files[n].");
    sent.add(Number(index));
  }
  const attachments = typeof body === "object" && body !== null && Array.isArray((body as { attachments?: unknown }).attachments) ? (body as { attachments: { id?: unknown }[] }).attachments : [];
  for (const [i, attachment] of attachments.entries()) {
    const id = Number(attachment.id);
    if (Number.isInteger(id) && id < 1_000_000 && !sent.has(id)) return formError(["attachments", i, "id"], "ATTACHMENT_NOT_FOUND", `No files[${id}] part was sent for this attachment.`);
  }
  return undefined;
}
