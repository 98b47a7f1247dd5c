/**
 * The digest's sections come from the capabilities that own the records (core's
 * digest-sections hook): new courses from commerce, solved and waiting questions from Q&A,
 * open reviews from review, top helpers and level-ups from points, events from live, new
 * members from identity. The digest only picks and orders them.
 */
import type { DigestSection, DigestSectionSources, DigestWindow } from "../core/digest-sections.js";
import { InternalError } from "../core/errors.js";
import type { Db } from "../db/database.js";
import { DIGEST_SECTIONS } from "./settings-schema.js";

export type { DigestSection, DigestWindow } from "../core/digest-sections.js";

/** Fails at start when a section communities may ask for has no capability providing it. */
export function checkDigestSources(sources: DigestSectionSources): void {
  const missing = DIGEST_SECTIONS.filter((name) => !sources[name]);
  if (missing.length > 0) throw new InternalError("digest_sections", `No capability provides the digest section(s) ${missing.join(", ")}`);
}

/** The sections asked for, in that order, leaving out those with nothing to say. */
export async function digestSections(db: Db, window: DigestWindow, names: readonly string[], sources: DigestSectionSources): Promise<DigestSection[]> {
  const found = await Promise.all(names.map((name) => sources[name]?.(db, window)));
  return found.filter((s): s is DigestSection => s !== undefined);
}
