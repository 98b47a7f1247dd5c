// StatementBatcher: what arrives while its lanes are busy goes together in the next statement;
// every caller gets its own item's answer, and a failed statement fails only its own batch.
import { describe, expect, it } from "vitest";
import { StatementBatcher } from "../../src/db/statement-batcher.js";

/** A statement that records each batch and answers when the test lets it. */
function heldStatements() {
  const batches: number[][] = [];
  const release: (() => void)[] = [];
  const run = async (items: readonly number[]) => {
    batches.push([...items]);
    await new Promise<void>((resolve) => release.push(resolve));
    if (items.includes(-1)) throw new Error("refused");
    return items.map((n) => n * 10);
  };
  return { batches, release, run };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("StatementBatcher", () => {
  it("sends the first item alone and what came meanwhile in one batch, answering each caller its own", async () => {
    const s = heldStatements();
    const batcher = new StatementBatcher(s.run);
    const answers = [1, 2, 3, 4].map((n) => batcher.add(n));
    await tick();
    expect(s.batches).toEqual([[1]]);
    s.release.shift()!();
    await tick();
    expect(s.batches).toEqual([[1], [2, 3, 4]]);
    s.release.shift()!();
    expect(await Promise.all(answers)).toEqual([10, 20, 30, 40]);
  });

  it("keeps as many statements running as it has lanes", async () => {
    const s = heldStatements();
    const batcher = new StatementBatcher(s.run, { lanes: 2 });
    const answers = [1, 2, 3, 4, 5].map((n) => batcher.add(n));
    await tick();
    expect(s.batches).toEqual([[1], [2]]);
    s.release.shift()!();
    await tick();
    expect(s.batches).toEqual([[1], [2], [3, 4, 5]]);
    while (s.release.length > 0) s.release.shift()!();
    expect(await Promise.all(answers)).toEqual([10, 20, 30, 40, 50]);
  });

  it("caps a batch at maxBatch items", async () => {
    const s = heldStatements();
    const batcher = new StatementBatcher(s.run, { maxBatch: 2 });
    const answers = [1, 2, 3, 4, 5].map((n) => batcher.add(n));
    for (let i = 0; i < 3; i++) {
      await tick();
      s.release.shift()!();
    }
    expect(await Promise.all(answers)).toEqual([10, 20, 30, 40, 50]);
    expect(s.batches).toEqual([[1], [2, 3], [4, 5]]);
  });

  it("rejects every item of a failed batch with its error, and only those", async () => {
    const s = heldStatements();
    const batcher = new StatementBatcher(s.run);
    const first = batcher.add(1);
    const failing = [batcher.add(2), batcher.add(-1)].map((p) => p.then(() => "answered", (e: Error) => e.message));
    await tick();
    s.release.shift()!();
    await tick();
    const later = batcher.add(3);
    s.release.shift()!();
    await tick();
    s.release.shift()!();
    expect(await first).toBe(10);
    expect(await Promise.all(failing)).toEqual(["refused", "refused"]);
    expect(await later).toBe(30);
  });

  it("refuses an answer that does not cover the batch instead of leaving callers waiting", async () => {
    const batcher = new StatementBatcher(async (items: readonly number[]) => items.slice(1));
    await expect(batcher.add(1)).rejects.toThrow("answered 0 of 1 items");
  });
});
