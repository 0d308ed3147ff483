import { copyFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RESULTS_DIR, say, screenshot, startStack } from "./playground-harness.js";

type Stack = Awaited<ReturnType<typeof startStack>>;
let stack: Stack;

beforeAll(async () => {
  stack = await startStack("manager");
});
afterAll(async () => {
  await stack?.stop();
});

/** Birgitte Krogh (leder) subscribes to the overview and asks for it at once (SPEC §8). */
describe("the managers' overview in the Playground", () => {
  it("Birgitte subscribes to the overview on the municipality's schedule", async () => {
    const page = stack.page;
    await page.getByText("Personal Chat").click();
    await say(page, "abonnér på overblik");
    await expect
      .poll(() => page.getByText("Du abonnerer nu på overblikket", { exact: false }).count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    expect(await page.getByText("hver mandag kl. 08.00", { exact: false }).count()).toBeGreaterThan(0);
  });

  it("`overblik` shows the last 7 days with the charts drawn", async () => {
    const page = stack.page;
    await say(page, "overblik");
    await expect.poll(() => page.getByText("Overblik: de seneste 7 dage").count(), { timeout: 20_000 }).toBeGreaterThan(0);
    const card = page.locator(".ac-adaptiveCard", { hasText: "Overblik: de seneste 7 dage" }).last();
    await card.scrollIntoViewIfNeeded();
    // Drawn as charts (SVG), not as the fallback fact lists.
    await expect.poll(() => card.locator("svg").count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    const text = await card.innerText();
    // The charts' legends: decisions per week, and booked vs free slots of the coming meetings.
    for (const legend of ["Start sag", "Ikke grundlag", "Booket", "Ledige"]) expect(text).toContain(legend);
    expect(text).toContain("Borgere i perioden (som Tabel 1)");
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, "30-overview");
    mkdirSync(path.resolve("docs/screenshots"), { recursive: true });
    copyFileSync(path.join(RESULTS_DIR, "30-overview.png"), path.resolve("docs/screenshots/30-overview.png"));
  });

  it("`overblik abc` gets a clear Danish answer", async () => {
    const page = stack.page;
    await say(page, "overblik abc");
    await expect
      .poll(() => page.getByText('"abc" er ikke et antal dage', { exact: false }).count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
  });
});
