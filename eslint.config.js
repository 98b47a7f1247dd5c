import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "src/generated/", "data/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["discord.js", "@slack/bolt", "@slack/*"],
              message: "Platform SDKs belong in src/platform/* only.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/platform/**", "test/**", "bench/**"],
    rules: { "no-restricted-imports": "off" },
  },
);
