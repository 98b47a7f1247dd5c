/**
 * Programming-language names as reviewers and requesters type them, normalised so that
 * "TS", "ts" and "TypeScript" match the same reviewers.
 */
import { UserFacingError } from "../core/errors.js";

const ALIASES: Readonly<Record<string, string>> = {
  ts: "typescript",
  js: "javascript",
  node: "javascript",
  nodejs: "javascript",
  py: "python",
  python3: "python",
  rs: "rust",
  golang: "go",
  rb: "ruby",
  kt: "kotlin",
  "c#": "csharp",
  cs: "csharp",
  "c++": "cpp",
  cxx: "cpp",
  sh: "shell",
  bash: "shell",
  "objective-c": "objc",
};

/** The longest language name accepted. */
export const MAX_LANGUAGE_LENGTH = 30;
/** How many languages one reviewer may list. */
export const MAX_LANGUAGES = 20;

const NAME = /^[a-z0-9][a-z0-9+#.-]*$/;

/** Languages recognised in typed text without a name (`/review request <link> rust …`); any valid name is accepted when named. */
const WELL_KNOWN = new Set(
  "typescript javascript python rust go java kotlin swift ruby php csharp cpp c elixir erlang haskell scala clojure ocaml fsharp dart lua r julia perl zig nim shell sql html css objc solidity".split(" "),
);

/** Whether a word is a well-known language name or alias ("ts", "Rust", "c++"). */
export function isKnownLanguage(word: string): boolean {
  const lower = word.trim().toLowerCase();
  return WELL_KNOWN.has(ALIASES[lower] ?? lower);
}

/** A language name in canonical lowercase form, or a refusal saying why. */
export function normaliseLanguage(text: string): string {
  const lower = text.trim().toLowerCase();
  const name = ALIASES[lower] ?? lower;
  if (name.length === 0 || name.length > MAX_LANGUAGE_LENGTH || !NAME.test(name)) {
    throw new UserFacingError(`A language is a name such as \`typescript\`, \`rust\` or \`c++\` (up to ${MAX_LANGUAGE_LENGTH} characters).`, "invalid_language");
  }
  return name;
}

/** "typescript, Rust py" → ["typescript", "rust", "python"]: commas or spaces, no repeats. */
export function parseLanguages(text: string): string[] {
  const names = [...new Set(text.split(/[\s,;/]+/).filter(Boolean).map(normaliseLanguage))];
  if (names.length === 0) throw new UserFacingError("List the languages you review, e.g. `typescript, rust, python`.", "invalid_language");
  if (names.length > MAX_LANGUAGES) throw new UserFacingError(`That is ${names.length} languages; list up to ${MAX_LANGUAGES}.`, "invalid_language");
  return names;
}
