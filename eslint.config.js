import tseslint from "typescript-eslint";

const TEAMS = ["botbuilder", "botbuilder-*", "botframework-*", "@microsoft/teams-ai", "@microsoft/teams.*"];

/** A layer's fence: the imports it may not use (STYLE.md §1, §3, §10), checked in CI by `npm run lint`. */
function fence(files, patterns) {
  return { files, rules: { "no-restricted-imports": ["error", { patterns }] } };
}

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", ".data/**", "test-results/**", "appPackage/build/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "no-console": "error",
    },
  },
  // The domain knows nothing of Teams, Azure or our own adapters.
  fence(
    ["src/domain/**/*.ts"],
    [
      { group: TEAMS, message: "src/domain must not depend on Teams." },
      { group: ["@azure/*"], message: "src/domain must not depend on Azure." },
      {
        group: ["../teams/*", "../storage/*", "../jobs/*", "../dev/*", "../config.js", "../logger.js", "../sparring.js", "../directory/*"],
        message: "src/domain must not depend on the edges.",
      },
    ],
  ),
  // The Teams edge reaches storage only through the domain's ports, and builds each card in its view.
  {
    files: ["src/teams/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@azure/*"], message: "The Teams edge talks to storage through the ports in src/domain/ports.ts." },
            {
              group: ["**/storage/*", "**/jobs/*", "**/dev/*", "**/sparring.js", "**/config.js", "**/directory/*"],
              message: "The Teams edge imports the domain, never storage, jobs, the launcher or the config.",
            },
          ],
          paths: [
            { name: "./cards.js", importNames: ["renderCard"], message: "Render a card through its view in src/teams/views/." },
            { name: "../cards.js", importNames: ["renderCard"], message: "Render a card through its view in src/teams/views/." },
          ],
        },
      ],
    },
  },
  {
    // Views are the one place each card template is expanded.
    files: ["src/teams/views/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@azure/*", "botbuilder", "@microsoft/teams-ai"],
              message: "A view turns domain data into card data; it sends nothing.",
            },
            {
              group: ["**/storage/*", "**/jobs/*", "**/dev/*", "**/sparring.js", "**/config.js"],
              message: "A view imports the domain and the edge's format and texts only.",
            },
          ],
        },
      ],
    },
  },
  // Storage implements ports; it knows nothing of Teams or the launcher.
  fence(
    ["src/storage/**/*.ts"],
    [
      { group: TEAMS, message: "src/storage must not depend on Teams." },
      {
        group: ["../teams/*", "../jobs/*", "../dev/*", "../sparring.js", "../config.js"],
        message: "src/storage implements the domain's ports and imports nothing else of ours.",
      },
    ],
  ),
  // The directory (Microsoft Graph) implements the domain's Directory port; it knows nothing of Teams, storage or the launcher.
  fence(
    ["src/directory/**/*.ts"],
    [
      { group: TEAMS, message: "src/directory must not depend on Teams." },
      {
        group: ["../teams/*", "../storage/*", "../jobs/*", "../dev/*", "../sparring.js", "../config.js"],
        message: "src/directory implements the domain's Directory port and imports nothing else of ours.",
      },
    ],
  ),
  // Scheduled jobs see ports only.
  fence(
    ["src/jobs/**/*.ts"],
    [
      { group: [...TEAMS, "@azure/*"], message: "Jobs see the domain's ports, not Teams or Azure." },
      { group: ["../teams/*", "../storage/*", "../dev/*", "../sparring.js", "../config.js"], message: "Jobs see the domain's ports only." },
    ],
  ),
  // Only the local launcher knows the local launcher.
  fence(["src/*.ts"], [{ group: ["./dev/*"], message: "Only src/dev/ knows the local launcher (Azurite, the Playground)." }]),
  {
    // Entry points and dev tools talk to a terminal; nothing else writes to the console.
    files: ["src/main.ts", "src/dev/**/*.ts", "test/**/*.ts", "bench/**/*.ts", "appPackage/**/*.ts", "scripts/**/*"],
    rules: { "no-console": "off" },
  },
);
