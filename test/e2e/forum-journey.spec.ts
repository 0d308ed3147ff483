import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeCprForAge } from "../support/fixtures.js";
import { lastCard, postToBot, say, screenshot, startStack } from "./playground-harness.js";

type Stack = Awaited<ReturnType<typeof startStack>>;
let stack: Stack;
const cpr = fakeCprForAge(24);
const CHANNEL = "Sparring unge (15-29)";

beforeAll(async () => {
  stack = await startStack("coordinator");
});
afterAll(async () => {
  await stack?.stop();
});

/**
 * The Playground shows one signed-in user per run, so this journey restarts it as each
 * person in turn against the same bot and storage (`stack.switchUser`).
 */
describe("a case goes from a caseworker's chat to the forum channel", () => {
  it("the administrator binds the youth forum's channel", async () => {
    await postToBot(stack.page, CHANNEL, "tilknyt forum unge");
    await expect
      .poll(() => stack.page.getByText("Kanalen er nu tilknyttet Sparring unge (15-29).", { exact: false }).count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
  });

  it("the caseworker raises a case and its card appears in the channel without CPR or health text", async () => {
    await stack.switchUser("caseworker");
    const { page } = stack;
    await page.getByText(CHANNEL).first().click();
    await page.getByText("Personal Chat").click();
    await say(page, "ny sag");
    const form = lastCard(page);
    await expect.poll(() => page.getByText("Ny tværgående sag").count(), { timeout: 20_000 }).toBe(1);
    await form.getByLabel("CPR-nummer").fill(cpr);
    await form.getByLabel("Helbredsforhold").fill("Angst og søvnbesvær");
    await form.getByLabel("Sociale udfordringer").fill("Ingen fast bolig");
    await form.getByLabel("Spørgsmål til sparringsforum").fill("Skal sagen startes i myndighedsafdelingen?");
    await form.getByRole("combobox").click();
    await page.getByRole("option", { name: "Ungeindsatsen" }).click();
    await form.getByRole("button", { name: "Send til sparringsforum" }).click();
    await expect.poll(() => page.getByText("Sagen er oprettet: SP-0001").count(), { timeout: 20_000 }).toBe(1);

    await page.getByText(CHANNEL).first().click();
    await expect.poll(() => page.getByText("Sag SP-0001").count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const channelText = await page.locator(".ac-adaptiveCard").allInnerTexts();
    expect(channelText.join("\n")).toContain("15–29 år");
    expect(channelText.join("\n")).not.toContain(cpr.slice(0, 6));
    expect(channelText.join("\n")).not.toContain("Angst");
    await screenshot(page, "06-case-in-channel");

    // A caseworker pressing the decision button is refused, and nothing changes.
    const card = page.locator(".ac-adaptiveCard", { hasText: "Sag SP-0001" }).last();
    await card.getByRole("radio", { name: "Ikke grundlag for tværgående sag" }).check();
    await card.getByLabel("Begrundelse", { exact: false }).fill("Forsøg");
    await card.getByRole("button", { name: "Registrér beslutning" }).click();
    await expect
      .poll(() => page.getByText("Kun forummets koordinatorer kan registrere en beslutning", { exact: false }).count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    expect(await page.getByText("Beslutning: ", { exact: false }).count()).toBe(0);
  });

  it("someone who is neither coordinator nor the case's caseworker is refused the details", async () => {
    await stack.switchUser("youthCaseworker");
    const { page } = stack;
    await postToBot(page, CHANNEL, "dagsorden");
    // The agenda that lists the case (the next meeting's, or the one after if that is closed).
    const details = page.getByRole("button", { name: "Detaljer" });
    await expect.poll(() => details.count(), { timeout: 20_000 }).toBe(1);
    await details.click();
    await expect
      .poll(() => page.getByText("Du har ikke adgang til sagens detaljer", { exact: false }).count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    expect(await page.locator("body").innerText()).not.toContain(cpr);
  });

  it("the coordinator opens the agenda in the channel and sees the details on demand", async () => {
    await stack.switchUser("coordinator");
    const { page } = stack;
    await postToBot(page, CHANNEL, "dagsorden");
    const details = page.getByRole("button", { name: "Detaljer" });
    await expect.poll(() => details.count(), { timeout: 20_000 }).toBe(1);
    await screenshot(page, "07-agenda");
    await details.click();
    await expect.poll(() => page.getByText("SP-0001 — detaljer", { exact: false }).count(), { timeout: 20_000 }).toBe(1);
    // The details replace the agenda card in place; on a loaded machine the old card can still be on screen for a moment.
    await expect.poll(() => lastCard(page).innerText(), { timeout: 20_000 }).toContain(cpr);
    const shown = await lastCard(page).innerText();
    expect(shown).toContain("Angst og søvnbesvær");
    await screenshot(page, "08-details-for-coordinator");
  });
});
