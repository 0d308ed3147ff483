import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postToBot, screenshot, startStack } from "./playground-harness.js";

type Stack = Awaited<ReturnType<typeof startStack>>;
let stack: Stack;

beforeAll(async () => {
  stack = await startStack("coordinator");
});
afterAll(async () => {
  await stack?.stop();
});

describe("an administrator binds a forum channel in the Playground", () => {
  it("answers `@Sparring tilknyt forum unge` in the channel with a confirmation", async () => {
    const { page } = stack;
    await postToBot(page, "Sparring unge (15-29)", "tilknyt forum unge");
    await expect
      .poll(() => page.getByText("Kanalen er nu tilknyttet Sparring unge (15-29).", { exact: false }).count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    await screenshot(page, "05-forum-bound");
  });
});
