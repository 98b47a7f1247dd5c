// How `npm start` starts Guildhall, read from package.json, so the benchmarks run the bot with
// the very Node flags a creator's `npm start` uses and cannot drift from it.
import { readFileSync } from "node:fs";

/**
 * The flags `npm start` gives Node before src/main.ts (`node <flags> src/main.ts`). A checkout
 * from before 8 December 2026 started with `tsx src/main.ts`: tsx's loader, the flags it adds
 * (its wrapper process left out).
 */
export function startNodeArgs(checkout = new URL("..", import.meta.url).pathname): string[] {
  const pkg = JSON.parse(readFileSync(`${checkout}/package.json`, "utf8")) as { scripts?: { start?: string } };
  const words = (pkg.scripts?.start ?? "").trim().split(/\s+/);
  if (words.join(" ") === "tsx src/main.ts") return ["--import", "tsx"];
  if (words[0] !== "node" || words.at(-1) !== "src/main.ts") {
    throw new Error(`package.json's start script is "${pkg.scripts?.start}"; the benchmarks expect "node <flags> src/main.ts"`);
  }
  return words.slice(1, -1);
}
