/** Wording shared by review replies and thread posts. */
import { oneLine } from "../core/member-text.js";
import type { ReviewRequest } from "../generated/prisma/client.js";

/** Longest notes a request may carry: fits a Discord embed field (1,024) with room to spare. */
export const MAX_NOTES_LENGTH = 1000;
/** Longest review summary: fits a Discord message and a Slack section with the ratings. */
export const MAX_SUMMARY_LENGTH = 1500;
/** Points a finished review earns its reviewer. */
export const REVIEW_POINTS = 10;

/** Every point a review earned is recorded with this source, so a withdrawal reverses them all. */
export const reviewSource = (r: Pick<ReviewRequest, "id">) => `review:${r.id}`;

/** "#12". */
export const ref = (r: Pick<ReviewRequest, "number">) => `#${r.number}`;

/** The rubric line: "Practicality 4/5 · Coverage 3/5 · Clarity 5/5". */
export function ratings(r: { practicality: number | null; coverage: number | null; clarity: number | null }): string {
  return `Practicality ${r.practicality ?? "?"}/5 · Coverage ${r.coverage ?? "?"}/5 · Clarity ${r.clarity ?? "?"}/5`;
}

/** A link to the request's thread when it has one, else its number. */
export function linkTo(r: Pick<ReviewRequest, "number" | "url">): string {
  return r.url ? `[review ${ref(r)}](${r.url})` : `review ${ref(r)}`;
}

/** Human status words. */
export function statusWords(status: string): string {
  switch (status) {
    case "waiting":
      return "waiting for a reviewer";
    case "assigned":
      return "assigned, not started";
    case "claimed":
      return "in review";
    default:
      return status;
  }
}

/** The thread's title: "Review #12 · typescript · github.com/ada/parser/pull/3". */
export function threadTitle(r: Pick<ReviewRequest, "number" | "language" | "link">): string {
  const where = r.link.replace(/^https:\/\//, "").replace(/\/$/, "");
  return oneLine(`Review #${r.number}${r.language ? ` · ${r.language}` : ""} · ${where}`, 100);
}
