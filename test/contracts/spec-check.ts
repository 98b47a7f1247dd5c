// What the contract tests share: where the platforms' published specs live, the shape of one
// recorded exchange and of one disagreement with a spec, and the allow-list that excuses
// known mistakes in a spec (each entry names the field and says why).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { ErrorObject } from "ajv";

/** One request the bot sent a fake, and the fake's answer. */
export interface Exchange {
  /** HTTP method as sent; Slack's Web API takes any method as POST. */
  readonly method: string;
  /** Decoded path: "/channels/1/messages" for Discord, the method name ("chat.postMessage") for Slack. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Parsed body (Discord: JSON or multipart payload_json; Slack: form fields). */
  readonly requestBody: unknown;
  /** Discord: the multipart file parts' field names (files[0], ...), when the request uploaded files. */
  readonly files?: readonly string[];
  readonly status: number;
  readonly responseBody: unknown;
}

/** Where an exchange disagrees with the spec. */
export interface Problem {
  /** The spec operation, like "POST /channels/{channel_id}/threads" or "chat.postMessage"; the raw path when none matched. */
  readonly operation: string;
  readonly side: "operation" | "request" | "query" | "response";
  /** JSON pointer into the checked value ("" for the whole value), or the parameter name. */
  readonly field: string;
  readonly message: string;
}

/** A known mistake in a spec, excused for one operation (or "*") and one field. */
export interface AllowEntry {
  readonly operation: string;
  readonly side: Problem["side"];
  /** Exact field, or a pattern for a family of fields (every embed's `type`). */
  readonly field: string | RegExp;
  /** Part of the validator's message, to excuse one complaint and not every one about the field. */
  readonly message?: string;
  readonly reason: string;
}

/** Problems no allow-list entry excuses, and the entries that excused nothing (stale ones). */
export function applyAllowList(problems: readonly Problem[], allow: readonly AllowEntry[]): { unexcused: Problem[]; unused: AllowEntry[] } {
  const used = new Set<AllowEntry>();
  const unexcused = problems.filter((p) => {
    const entry = allow.find(
      (a) =>
        (a.operation === "*" || a.operation === p.operation) &&
        a.side === p.side &&
        (typeof a.field === "string" ? a.field === p.field : a.field.test(p.field)) &&
        (a.message === undefined || p.message.includes(a.message)),
    );
    if (entry) used.add(entry);
    return !entry;
  });
  return { unexcused, unused: allow.filter((a) => !used.has(a)) };
}

/** One line per problem, for assertion messages. */
export function describeProblems(problems: readonly Problem[]): string {
  return problems.map((p) => `${p.operation} ${p.side} ${p.field || "(whole)"}: ${p.message}`).join("\n");
}

/** Ajv's errors as problems. */
export function problemsFrom(errors: readonly ErrorObject[] | null | undefined, operation: string, side: Problem["side"]): Problem[] {
  return (errors ?? []).map((e) => ({
    operation,
    side,
    field: e.instancePath,
    message: `${e.message ?? e.keyword}${e.keyword === "additionalProperties" ? ` (${String((e.params as { additionalProperty?: unknown }).additionalProperty)})` : ""}${e.keyword === "enum" ? ` ${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)}` : ""}`,
  }));
}

/**
 * The platforms' specs, in `shared/specs` next to the repository or a worktree's parent
 * (../shared/specs), or where PLATFORM_SPECS_DIR points.
 */
export function specsDir(): string {
  const fromEnv = process.env.PLATFORM_SPECS_DIR;
  if (fromEnv) return fromEnv;
  for (let dir = resolve(dirname(fileURLToPath(import.meta.url)), "../.."); ; dir = dirname(dir)) {
    const candidate = join(dir, "shared", "specs");
    if (existsSync(join(candidate, "discord-openapi.json"))) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new Error("The platforms' API specs were not found: put them in ../shared/specs or set PLATFORM_SPECS_DIR.");
}

/** A spec file as JSON. */
export function readSpec(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(specsDir(), name), "utf8")) as Record<string, unknown>;
}

/** A JSON pointer segment, escaped for use inside a `$ref` URI fragment. */
export function pointerSegment(segment: string): string {
  return encodeURIComponent(segment.replace(/~/g, "~0").replace(/\//g, "~1"));
}
