/**
 * Who reviews next: a pure function over the community's reviewers, so fairness can be
 * tested without a database. The caller holds the community's review lock while it reads
 * the candidates and writes the result, so simultaneous requests see each other's picks.
 */

/** A reviewer as assignment sees them. */
export interface Candidate {
  readonly memberId: string;
  /** Canonical lowercase names (see languages.ts). */
  readonly languages: readonly string[];
  readonly awayUntil: Date | null;
  readonly leftAt: Date | null;
  /** Reviews assigned to them and not finished (assigned or claimed). */
  readonly openReviews: number;
  readonly lastAssignedAt: Date | null;
  /** The last tie-break: whoever joined first, so the order is stable and explainable. */
  readonly joinedAt?: Date;
}

/** What the request needs. */
export interface Needs {
  readonly requesterId: string;
  /** Canonical language name, when the requester gave one. */
  readonly language?: string | undefined;
  /** Members who passed on this request or were reassigned away from it. */
  readonly passedBy: readonly string[];
}

export interface Assignment {
  readonly memberId: string;
  /** False when the request named a language nobody available knows, so anyone was picked. */
  readonly languageMatched: boolean;
}

/** Present, not left, and not away at `now`. */
export function isAvailable(c: Pick<Candidate, "awayUntil" | "leftAt">, now: Date): boolean {
  return c.leftAt === null && (c.awayUntil === null || c.awayUntil.getTime() <= now.getTime());
}

/** Fewest open reviews first; among equals, whoever was assigned least recently (never first), then who joined first. */
function fairer(a: Candidate, b: Candidate): number {
  if (a.openReviews !== b.openReviews) return a.openReviews - b.openReviews;
  const at = a.lastAssignedAt?.getTime() ?? -Infinity;
  const bt = b.lastAssignedAt?.getTime() ?? -Infinity;
  if (at !== bt) return at - bt;
  const aj = a.joinedAt?.getTime() ?? 0;
  const bj = b.joinedAt?.getTime() ?? 0;
  if (aj !== bj) return aj - bj;
  return a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0;
}

/**
 * Picks the reviewer for a request: among available reviewers who are not the requester
 * and have not passed on it, those who know the language (any of them when none does),
 * the fairest by {@link fairer}. Undefined when nobody can take it.
 */
export function pickReviewer(candidates: readonly Candidate[], needs: Needs, now: Date): Assignment | undefined {
  const eligible = candidates.filter((c) => isAvailable(c, now) && c.memberId !== needs.requesterId && !needs.passedBy.includes(c.memberId));
  const knowing = needs.language === undefined ? eligible : eligible.filter((c) => c.languages.includes(needs.language!));
  const pool = knowing.length > 0 ? knowing : eligible;
  const best = [...pool].sort(fairer)[0];
  return best && { memberId: best.memberId, languageMatched: knowing.length > 0 };
}
