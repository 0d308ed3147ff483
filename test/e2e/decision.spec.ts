import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeCprForAge } from "../support/fixtures.js";
import { lastCard, postToBot, say, screenshot, startStack } from "./playground-harness.js";

type Stack = Awaited<ReturnType<typeof startStack>>;
let stack: Stack;
let caseworker: Page;
const CHANNEL = "Sparring unge (15-29)";

beforeAll(async () => {
  stack = await startStack("coordinator");
  caseworker = await stack.addPerson("caseworker");
});
afterAll(async () => {
  await stack?.stop();
});

/**
 * Two people at once: Hanne (coordinator) and Mette (caseworker) each in their own
 * Playground against the same bot — the channel lives in Hanne's, Mette's chat in hers.
 */
describe("a coordinator decides on the card and the caseworker is told", () => {
  it("Hanne binds the channel; Mette raises a case; the card appears in Hanne's channel", async () => {
    const coordinator = stack.page;
    await postToBot(coordinator, CHANNEL, "tilknyt forum unge");
    await expect
      .poll(() => coordinator.getByText("Kanalen er nu tilknyttet", { exact: false }).count(), { timeout: 20_000 })
      .toBeGreaterThan(0);

    await caseworker.getByText("Personal Chat").click();
    await say(caseworker, "ny sag");
    await expect.poll(() => caseworker.getByText("Ny tværgående sag").count(), { timeout: 20_000 }).toBe(1);
    const form = lastCard(caseworker);
    await form.getByLabel("CPR-nummer").fill(fakeCprForAge(22));
    await form.getByLabel("Helbredsforhold").fill("Depression");
    await form.getByLabel("Sociale udfordringer").fill("Ensomhed, gæld");
    await form.getByLabel("Spørgsmål til sparringsforum").fill("Skal sagen startes i myndighedsafdelingen?");
    await form.getByRole("combobox").click();
    await caseworker.getByRole("option", { name: "Ungeindsatsen" }).click();
    await form.getByRole("button", { name: "Send til sparringsforum" }).click();
    await expect.poll(() => caseworker.getByText("Sagen er oprettet: SP-0001").count(), { timeout: 20_000 }).toBe(1);

    await coordinator.getByText(CHANNEL).first().click();
    await expect.poll(() => coordinator.getByText("Sag SP-0001").count(), { timeout: 30_000 }).toBeGreaterThan(0);
  });

  it("Hanne records 'Start sag' with the social caseworker; the card shows the decision and loses its buttons", async () => {
    const coordinator = stack.page;
    const card = coordinator.locator(".ac-adaptiveCard", { hasText: "Sag SP-0001" }).last();
    await card.getByRole("radio", { name: "Start sag i myndighedsafdelingen" }).check();
    await card.getByRole("combobox").click();
    await coordinator.getByRole("option", { name: "Jonas Dahl" }).click();
    await card.getByRole("button", { name: "Registrér beslutning" }).click();
    await expect
      .poll(() => coordinator.getByText("Beslutning: Start sag i myndighedsafdelingen — visiteret til Jonas Dahl").count(), {
        timeout: 20_000,
      })
      .toBeGreaterThan(0);
    const updated = coordinator.locator(".ac-adaptiveCard", { hasText: "Beslutning:" }).last();
    expect(await updated.getByRole("button", { name: "Registrér beslutning" }).count()).toBe(0);
    expect(await updated.innerText()).toContain("Hanne Lund");
    await screenshot(coordinator, "09-decision-recorded");
  });

  it("Mette's personal chat shows the decision and the next step", async () => {
    await expect
      .poll(() => caseworker.getByText("Forummet har truffet en beslutning", { exact: true }).count(), { timeout: 30_000 })
      .toBe(1);
    const notice = await caseworker.locator(".ac-adaptiveCard", { hasText: "Truffet af" }).last().innerText();
    expect(notice).toContain("Start sag i myndighedsafdelingen — visiteret til Jonas Dahl");
    expect(notice).toContain("I aftaler den fælles plan");
    await screenshot(caseworker, "10-caseworker-told");
  });
});
