import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        // Domain rules with in-memory ports: no Azurite is started for these.
        test: {
          name: "domain",
          include: ["test/domain/**/*.spec.ts"],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: "unit",
          include: ["test/**/*.spec.ts"],
          exclude: ["test/e2e/**", "test/domain/**"],
          globalSetup: ["test/support/azurite-global-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.spec.ts"],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
