import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", ".data/**", "test-results/**", "appPackage/build/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-console": "error",
    },
  },
  {
    // The domain knows nothing of Teams, Azure or our own adapters (STYLE.md §1).
    files: ["src/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["botbuilder", "botbuilder-*", "botframework-*", "@microsoft/teams-ai", "@microsoft/teams.*"], message: "src/domain must not depend on Teams." },
            { group: ["@azure/*"], message: "src/domain must not depend on Azure." },
            { group: ["../teams/*", "../storage/*", "../dev/*", "../config.js", "../logger.js"], message: "src/domain must not depend on the edges." },
          ],
        },
      ],
    },
  },
  {
    // Entry points and dev tools talk to a terminal; nothing else writes to the console.
    files: ["src/main.ts", "src/dev/**/*.ts", "test/**/*.ts", "bench/**/*.ts", "appPackage/**/*.ts", "scripts/**/*"],
    rules: { "no-console": "off" },
  },
);
