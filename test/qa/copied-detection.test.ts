import { describe, expect, it } from "vitest";
import { copiedShare, fingerprint } from "../../src/qa/fingerprint.js";
import { ANSWER_SETS } from "./labelled/copied-answers.js";

/** The default `qa.copiedShare`. */
const THRESHOLD = 0.7;

describe("copied-answer detection on hand-written answers", () => {
  it("flags copies (verbatim, reformatted, renamed, partial) and not independent answers, and prints the rates", () => {
    const kinds = ["verbatim", "reformatted", "renamed", "partial"] as const;
    const detected = Object.fromEntries(kinds.map((k) => [k, 0])) as Record<(typeof kinds)[number], number>;
    const shares: string[] = [];
    let falseAlarms = 0;
    let independents = 0;
    for (const set of ANSWER_SETS) {
      const original = fingerprint(set.original);
      for (const kind of kinds) {
        const share = copiedShare(fingerprint(set.copies[kind]), original);
        shares.push(`${kind} ${share.toFixed(2)}`);
        if (share >= THRESHOLD) detected[kind] += 1;
      }
      // An independent answer is compared with every earlier answer to the same question.
      const earlier = [original, ...set.independent.map(fingerprint)];
      for (const [i, text] of set.independent.entries()) {
        independents += 1;
        const mine = fingerprint(text);
        const worst = Math.max(...earlier.filter((_, j) => j !== i + 1).map((e) => copiedShare(mine, e)));
        shares.push(`independent ${worst.toFixed(2)}`);
        if (worst >= THRESHOLD) falseAlarms += 1;
      }
    }
    const n = ANSWER_SETS.length;
    const copies = n * kinds.length;
    const found = kinds.reduce((sum, k) => sum + detected[k], 0);
    console.log(
      `copied answers at ${THRESHOLD}: detected ${found}/${copies} copies (${((100 * found) / copies).toFixed(0)}%: ` +
        kinds.map((k) => `${k} ${detected[k]}/${n}`).join(", ") +
        `), false alarms ${falseAlarms}/${independents} independent answers (${((100 * falseAlarms) / independents).toFixed(0)}%)\n  shares: ${shares.join("; ")}`,
    );
    expect(detected.verbatim).toBe(n);
    expect(detected.reformatted).toBe(n);
    expect(detected.renamed).toBe(n);
    expect(falseAlarms).toBe(0);
  });
});
