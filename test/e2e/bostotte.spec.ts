import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeCprForAge } from "../support/fixtures.js";
import { lastCard, say, screenshot, startStack } from "./playground-harness.js";

type Stack = Awaited<ReturnType<typeof startStack>>;
let stack: Stack;
let caseworker: Page;
/** A fictitious citizen of 34 (a replacement number). */
const CPR = fakeCprForAge(34);
const MASKED = `${CPR.slice(0, 6)}-xxxx`;

beforeAll(async () => {
  stack = await startStack("socialCaseworker");
  caseworker = await stack.addPerson("caseworker");
});
afterAll(async () => {
  await stack?.stop();
});

/**
 * Two people at once, as in decision.spec.ts: Jonas (social caseworker) records that a
 * citizen's bostøtte ends; Mette (jobcenter), who follows the citizen, is told in her chat.
 */
describe("bostøtte ophører: the social side records it, the employment side is told", () => {
  it("Mette follows the citizen, saying why", async () => {
    await caseworker.getByText("Personal Chat").click();
    await say(caseworker, `følg ${CPR}`);
    await expect.poll(() => caseworker.getByText("Følg en borger").count(), { timeout: 20_000 }).toBe(1);
    const form = lastCard(caseworker);
    expect(await form.getByLabel("Borgerens CPR-nummer").inputValue()).toBe(CPR);
    await form.getByRole("radio", { name: "Orientering om bostøtte" }).check();
    await form.getByRole("button", { name: "Følg borgeren" }).click();
    await expect.poll(() => caseworker.getByText(`Du følger nu borgeren ${MASKED}`, { exact: false }).count(), { timeout: 20_000 }).toBe(1);
  });

  it("Jonas records ophør in his personal chat; a missing end date comes back beside the field with his input kept", async () => {
    const social = stack.page;
    await social.getByText("Personal Chat").click();
    await say(social, "bostøtte");
    await expect.poll(() => social.getByText("Bostøtte: registrér en afgørelse").count(), { timeout: 20_000 }).toBe(1);
    await lastCard(social).getByRole("button", { name: "Ophør" }).click();
    await expect.poll(() => social.getByText("Bostøtte: ophør").count(), { timeout: 20_000 }).toBe(1);

    let form = lastCard(social);
    await form.getByLabel("Borgerens CPR-nummer").fill(CPR);
    await form.getByRole("radio", { name: /Serviceloven § 85 — socialpædagogisk bistand/ }).check();
    await form.getByRole("combobox", { name: "Årsag" }).click();
    await social.getByRole("option", { name: "Mål nået" }).click();
    await form.getByRole("button", { name: "Registrér og giv besked" }).click();
    await expect
      .poll(() => social.getByText("Afgørelsen er ikke registreret", { exact: false }).count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    form = lastCard(social);
    expect(await form.getByLabel("Borgerens CPR-nummer").inputValue()).toBe(CPR);
    expect(await form.innerText()).toContain("Feltet skal udfyldes.");

    await form.getByLabel("Ophører fra").fill("2026-12-31");
    await form.getByRole("button", { name: "Registrér og giv besked" }).click();
    await expect.poll(() => social.getByText("Registreret: ophør af bostøtte").count(), { timeout: 20_000 }).toBe(1);
    expect(await lastCard(social).innerText()).toContain("Borgerens sagsbehandler i beskæftigelsen har fået besked.");
    await screenshot(social, "20-bostotte-recorded");
  });

  it("Mette's chat shows that bostøtte ends, from when and why, with the CPR masked", async () => {
    await expect.poll(() => caseworker.getByText("Bostøtte ophører", { exact: true }).count(), { timeout: 30_000 }).toBe(1);
    const notice = await caseworker.locator(".ac-adaptiveCard", { hasText: "Bostøtte ophører" }).last().innerText();
    expect(notice).toContain("31.12.2026");
    expect(notice).toContain("Mål nået");
    expect(notice).toContain(MASKED);
    expect(notice).not.toContain(CPR);
    await screenshot(caseworker, "21-bostotte-told");
  });
});
