import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeCprForAge } from "../support/fixtures.js";
import { lastCard, say, screenshot, startStack } from "./playground-harness.js";

type Stack = Awaited<ReturnType<typeof startStack>>;
let stack: Stack;

beforeAll(async () => {
  stack = await startStack("caseworker");
});
afterAll(async () => {
  await stack?.stop();
});

describe("a caseworker raises a case in the Playground", () => {
  const cpr = fakeCprForAge(36);

  it("gets the help text and the form after writing `ny sag`", async () => {
    const { page } = stack;
    await page.getByText("Personal Chat").click();
    await say(page, "ny sag");
    await expect.poll(() => page.getByText("Ny tværgående sag").count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => page.getByText("mine sager").first().isVisible()).toBe(true);
    await screenshot(page, "01-form");
  });

  it("sees a Danish error beside a bad CPR with everything typed still there", async () => {
    const { page } = stack;
    const card = lastCard(page);
    await card.getByLabel("CPR-nummer").fill("310299-1234");
    await card.getByLabel("Helbredsforhold").fill("Kroniske smerter\nSover dårligt");
    await card.getByLabel("Sociale udfordringer").fill("Har mistet sin bolig");
    await card.getByLabel("Spørgsmål til sparringsforum").fill("Skal sagen startes i myndighedsafdelingen?");
    await card.getByRole("combobox").click();
    await page.getByRole("option", { name: "Jobcenter" }).click();
    await card.getByRole("button", { name: "Send til sparringsforum" }).click();

    await expect.poll(() => page.getByText("CPR-nummeret indeholder ikke en gyldig fødselsdato.").count(), { timeout: 20_000 }).toBe(1);
    const again = lastCard(page);
    expect(await again.getByLabel("CPR-nummer").inputValue()).toBe("310299-1234");
    expect(await again.getByLabel("Helbredsforhold").inputValue()).toBe("Kroniske smerter\nSover dårligt");
    expect(await again.getByLabel("Sociale udfordringer").inputValue()).toBe("Har mistet sin bolig");
    expect(await again.getByRole("combobox").inputValue()).toBe("Jobcenter");
    await screenshot(page, "02-form-error");
  });

  it("fixes the CPR and gets a confirmation that replaces the form and masks the number", async () => {
    const { page } = stack;
    const card = lastCard(page);
    await card.getByLabel("CPR-nummer").fill(cpr);
    await card.getByRole("button", { name: "Send til sparringsforum" }).click();
    await expect.poll(() => page.getByText("Sagen er oprettet: SP-0001").count(), { timeout: 20_000 }).toBe(1);
    const chat = await page.locator(".ac-adaptiveCard").allInnerTexts();
    const all = chat.join("\n");
    expect(all).toContain(`${cpr.slice(0, 6)}-xxxx`);
    expect(all).toContain("Sparring voksne (30+)");
    expect(all).not.toContain(cpr.slice(7));
    expect(all).not.toContain("Kroniske smerter");
    expect(await page.getByLabel("CPR-nummer").count()).toBe(0);
    await screenshot(page, "03-case-raised");
  });

  it("lists the case with `mine sager`", async () => {
    const { page } = stack;
    await say(page, "mine sager");
    await expect.poll(() => page.getByText("1 sag, nyeste først.").count(), { timeout: 20_000 }).toBe(1);
    expect(await lastCard(page).innerText()).toContain("SP-0001");
    await screenshot(page, "04-my-cases");
  });
});
