import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * The capabilities: one folder each under src/, each with an index.ts that is its only
 * entrance. Keep in step with src/capabilities.ts (test/core/layering.test.ts checks).
 */
export const CAPABILITIES = ["identity", "help", "commerce", "points", "qa", "review", "announce", "live", "digest", "insights", "ratings", "recommend"];

/** Platform SDKs stay behind src/platform. */
const SDKS = { group: ["discord.js", "@slack/bolt", "@slack/*"], message: "Platform SDKs belong in src/platform/* only." };

/** A relative import of one of `names` (any file in it), from a file one or more folders down. */
const anyFileOf = (names) => `^(\\.\\./)+(${names.join("|")})(/|\\.js$|$)`;
/** A relative import of a file inside one of `names` other than its index.ts. */
const internalsOf = (names) => `^(\\.\\./)+(${names.join("|")})/(?!index\\.js$).+`;

const restrict = (...patterns) => ({ "no-restricted-imports": ["error", { patterns: [SDKS, ...patterns] }] });

export default tseslint.config(
  { ignores: ["node_modules/", "src/generated/", "data/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      ...restrict(),
    },
  },
  // The foundation never depends on a capability: capabilities plug into it (src/core/capability.ts).
  {
    files: ["src/core/**", "src/db/**", "src/config/**", "src/http/**", "src/log/**"],
    rules: restrict({
      regex: anyFileOf([...CAPABILITIES, "capabilities"]),
      message: "src/core, src/db, src/config, src/http and src/log must not import a capability: let the capability plug in through src/core/capability.ts.",
    }),
  },
  // A capability uses another only through that one's index.ts.
  ...CAPABILITIES.map((name) => ({
    files: [`src/${name}/**`],
    rules: restrict(
      {
        regex: internalsOf(CAPABILITIES.filter((other) => other !== name)),
        message: "A capability imports another capability only through its index.ts (what it exports is its public surface).",
      },
      {
        regex: anyFileOf(["capabilities"]),
        message: "A capability does not import the capability list (src/capabilities.ts): let the entry point (cli.ts, app.ts) pass what it needs.",
      },
    ),
  })),
  {
    files: ["src/platform/**", "test/**", "bench/**"],
    rules: { "no-restricted-imports": "off" },
  },
);
