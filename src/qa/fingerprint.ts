/**
 * Fingerprints of answers, to find copies: winnowing over hashed k-grams of normalised tokens,
 * as MOSS does (Schleimer, Wilkerson and Aiken, "Winnowing: local algorithms for document
 * fingerprinting", SIGMOD 2003).
 *
 * Normalising makes cosmetic changes invisible:
 * - case, whitespace, line breaks and indentation are dropped (reformatting);
 * - inside code (fenced blocks, `inline code`, and words shaped like code: snake_case,
 *   camelCase, `a.b`, `f(`), every identifier that is not a keyword becomes `v` (renaming);
 * - in prose, words are kept (lowercased, a plural `s` dropped) except a few filler words.
 * Then every run of K tokens is hashed, and in each window of W consecutive hashes the smallest
 * is kept (the rightmost on ties): any copied run of at least K + W - 1 tokens shares at least
 * one kept hash with the original, whatever surrounds it.
 */

/** Tokens per k-gram: shorter runs than this are not evidence of copying. */
export const K = 5;
/** Winnowing window: a copied run of K + W - 1 = 8 tokens is always noticed. */
export const W = 4;

const KEYWORDS = new Set(
  (
    "fn let mut const var function return if else for while loop match in of async await impl struct enum trait pub use mod crate self super " +
    "class def import from as with try except catch finally raise throw new this typeof instanceof interface type extends implements " +
    "public private protected static void int string bool boolean true false null none nil undefined go func defer chan select case switch " +
    "break continue package yield lambda where dyn ref move box vec some ok err unwrap expect println print console log"
  ).split(" "),
);
const FILLER = new Set("a an the to of and or is are be it this that i you we so just then can do".split(" "));

/** The normalised tokens of a text (see the module comment). */
export function tokens(text: string): string[] {
  const out: string[] = [];
  // Split into code (fenced or inline) and prose, in order.
  const parts = text.split(/(```[\s\S]*?```|`[^`\n]+`)/g);
  for (const part of parts) {
    if (!part) continue;
    const isCode = part.startsWith("`");
    const body = isCode ? part.replace(/^```[\w+-]*\n?|```$|^`|`$/g, "") : part;
    for (const m of body.matchAll(/[A-Za-z_$][\w$]*(?:\(|\.(?=[A-Za-z_$]))?|\d+(?:\.\d+)?|[^\s\w]/g)) {
      const raw = m[0];
      const word = raw.replace(/[(.]$/, "");
      const lower = word.toLowerCase();
      if (/^[A-Za-z_$]/.test(word)) {
        const codeShaped = isCode || raw !== word || /_|[a-z][A-Z]|\$/.test(word);
        if (KEYWORDS.has(lower)) out.push(lower);
        else if (codeShaped) out.push("v");
        else if (!FILLER.has(lower)) out.push(lower.length > 3 && lower.endsWith("s") && !lower.endsWith("ss") ? lower.slice(0, -1) : lower);
        if (raw.endsWith("(")) out.push("(");
        else if (raw.endsWith(".")) out.push(".");
      } else if (/^\d/.test(word)) {
        out.push("0");
      } else if (!",;".includes(word)) {
        // Punctuation carries code structure; commas and semicolons are mostly style.
        out.push(word);
      }
    }
  }
  return out;
}

/** 32-bit FNV-1a of a k-gram, as a signed integer (a PostgreSQL `integer`). */
function hash(gram: readonly string[]): number {
  let h = 0x811c9dc5;
  for (const token of gram) {
    for (let i = 0; i < token.length; i++) {
      h ^= token.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 0x1f; // token separator
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/** The winnowed fingerprint of a text: the distinct kept hashes, sorted. Empty for texts under K tokens. */
export function fingerprint(text: string): number[] {
  const t = tokens(text);
  if (t.length < K) return [];
  const hashes: number[] = [];
  for (let i = 0; i + K <= t.length; i++) hashes.push(hash(t.slice(i, i + K)));
  if (hashes.length <= W) return [...new Set(hashes)].sort((a, b) => a - b);
  const kept = new Set<number>();
  for (let start = 0; start + W <= hashes.length; start++) {
    let min = start;
    for (let i = start + 1; i < start + W; i++) if (hashes[i]! <= hashes[min]!) min = i;
    kept.add(hashes[min]!);
  }
  return [...kept].sort((a, b) => a - b);
}

/** The share of `answer`'s fingerprint found in `earlier`'s: 1 when all of it was copied. */
export function copiedShare(answer: readonly number[], earlier: readonly number[]): number {
  if (answer.length === 0) return 0;
  const other = new Set(earlier);
  return answer.filter((h) => other.has(h)).length / answer.length;
}
