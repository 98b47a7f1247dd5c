/**
 * A hook between the digest, which posts a summary of a period, and the capabilities whose
 * records fill it: each contributes named sections that read its own tables (Q&A's solved
 * questions, points' top helpers…), and the digest picks and orders them by each community's
 * settings, so it never reads their tables.
 */
import type { Db } from "../db/database.js";
import { InternalError } from "./errors.js";

/** What a digest covers: the period `(from, to]`, and `now` for what is waiting or coming up. */
export interface DigestWindow {
  readonly communityId: string;
  readonly from: Date;
  readonly to: Date;
  readonly now: Date;
}

export interface DigestSection {
  /** The name communities use in their digest settings ("solved", "helpers"…). */
  readonly name: string;
  /** Shown bold above the lines. */
  readonly heading: string;
  /** In reply markup, one item each. */
  readonly lines: readonly string[];
}

/** One section for a window, or undefined when it has nothing to say (it is then left out). */
export type DigestSectionSource = (db: Db, window: DigestWindow) => Promise<DigestSection | undefined>;

/** Sections by name. */
export type DigestSectionSources = Readonly<Record<string, DigestSectionSource>>;

/** A section, or undefined when it has no lines. */
export function digestSection(name: string, heading: string, lines: readonly string[]): DigestSection | undefined {
  return lines.length === 0 ? undefined : { name, heading, lines };
}

/** Rows created within the window's period, as a Prisma filter. */
export const inPeriod = (w: DigestWindow) => ({ gt: w.from, lte: w.to });

/** Lists of things that happened stop at a few, with a count of the rest: a digest is a summary. */
export const moreLine = (total: number, shown: number, what: string): string[] => (total > shown ? [`…and ${total - shown} more ${what}.`] : []);

/** Members' display names by id (the directory's Member rows every capability refers to). */
export async function displayNames(db: Db, memberIds: readonly string[]): Promise<Map<string, string>> {
  if (memberIds.length === 0) return new Map();
  const found = await db.member.findMany({ where: { id: { in: [...new Set(memberIds)] } }, select: { id: true, displayName: true } });
  return new Map(found.map((m) => [m.id, m.displayName]));
}

/** Every capability's sections by name; two capabilities may not provide the same one. */
export function allDigestSections(capabilities: readonly { readonly name: string; readonly digestSections?: DigestSectionSources }[]): DigestSectionSources {
  const all: Record<string, DigestSectionSource> = {};
  const owner = new Map<string, string>();
  for (const c of capabilities) {
    for (const [name, source] of Object.entries(c.digestSections ?? {})) {
      if (owner.has(name)) throw new InternalError("digest_sections", `The digest section ${name} is provided by both ${owner.get(name)} and ${c.name}`);
      owner.set(name, c.name);
      all[name] = source;
    }
  }
  return all;
}
