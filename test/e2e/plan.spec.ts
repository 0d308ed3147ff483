import { DateTime } from "luxon";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeCprForAge } from "../support/fixtures.js";
import { lastCard, postToBot, say, screenshot, startStack } from "./playground-harness.js";

type Stack = Awaited<ReturnType<typeof startStack>>;
let stack: Stack;
let caseworker: Page;
let social: Page;
const CHANNEL = "Sparring unge (15-29)";

/** Dates as the Playground's date inputs take them, counted from today in Copenhagen. */
const today = DateTime.now().setZone("Europe/Copenhagen").startOf("day");
const iso = (days: number) => today.plus({ days }).toISODate()!;
const danish = (days: number) => today.plus({ days }).toFormat("dd.MM.yyyy");
/** How the Playground's date picker shows a date it was given. */
const picked = (days: number) => today.plus({ days }).setLocale("en-US").toFormat("LLLL d, yyyy");

beforeAll(async () => {
  stack = await startStack("coordinator");
  caseworker = await stack.addPerson("caseworker");
  social = await stack.addPerson("socialCaseworker");
});
afterAll(async () => {
  await stack?.stop();
});

const card = (page: Page, text: string | RegExp): Locator => page.locator(".ac-adaptiveCard", { hasText: text }).last();
/** The plan card (not its forms, which say "Redigér fælles plan …", nor a message about it). */
const planCard = (page: Page): Locator => card(page, /Fælles plan · SP-0001/);
const seen = (page: Page, text: string, timeout = 20_000) =>
  expect.poll(() => page.getByText(text, { exact: false }).count(), { timeout }).toBeGreaterThan(0);

/**
 * Three people at once, each in their own Playground against the same bot (as in
 * decision.spec.ts): Hanne (coordinator) visitates the case; Mette (jobcenter, who raised it)
 * and Jonas (myndighedsafdelingen) write and agree the joint plan, and Mette records the
 * citizen's consent and exports the plan for the case file.
 */
describe("the joint plan: two caseworkers agree on it, the citizen consents, it is exported", () => {
  it("Hanne binds the channel; Jonas says hello; Mette raises a case; Hanne visitates it to Jonas", async () => {
    const coordinator = stack.page;
    await postToBot(coordinator, CHANNEL, "tilknyt forum unge");
    await seen(coordinator, "Kanalen er nu tilknyttet");

    await social.getByText("Personal Chat").click();
    await say(social, "planer");
    await seen(social, "Du er ikke med i nogen fælles plan endnu");

    await caseworker.getByText("Personal Chat").click();
    await say(caseworker, "ny sag");
    await expect.poll(() => caseworker.getByText("Ny tværgående sag").count(), { timeout: 20_000 }).toBe(1);
    const form = lastCard(caseworker);
    await form.getByLabel("CPR-nummer").fill(fakeCprForAge(22));
    await form.getByLabel("Helbredsforhold").fill("Angst");
    await form.getByLabel("Sociale udfordringer").fill("Boligløs, gæld");
    await form.getByLabel("Spørgsmål til sparringsforum").fill("Skal sagen startes i myndighedsafdelingen?");
    await form.getByRole("combobox").click();
    await caseworker.getByRole("option", { name: "Ungeindsatsen" }).click();
    await form.getByRole("button", { name: "Send til sparringsforum" }).click();
    await seen(caseworker, "Sagen er oprettet: SP-0001");

    await coordinator.getByText(CHANNEL).first().click();
    await expect.poll(() => coordinator.getByText("Sag SP-0001").count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const caseCard = card(coordinator, "Sag SP-0001");
    await caseCard.getByRole("radio", { name: "Start sag i myndighedsafdelingen" }).check();
    await caseCard.getByRole("combobox").click();
    await coordinator.getByRole("option", { name: "Jonas Dahl" }).click();
    await caseCard.getByRole("button", { name: "Registrér beslutning" }).click();
    await seen(coordinator, "visiteret til Jonas Dahl");
  });

  it("both open the plan from the decision in their chat", async () => {
    await seen(caseworker, "Forummet har truffet en beslutning", 30_000);
    await card(caseworker, "Forummet har truffet en beslutning").getByRole("button", { name: "Åbn fælles plan" }).click();
    await seen(caseworker, "Fælles plan · SP-0001");
    expect(await planCard(caseworker).innerText()).toContain("Kladde · ikke udfyldt endnu");

    await seen(social, "En sag er visiteret til dig", 30_000);
    await card(social, "En sag er visiteret til dig").getByRole("button", { name: "Åbn fælles plan" }).click();
    await seen(social, "Fælles plan · SP-0001");
  });

  it("Mette fills the plan in, adding an effort row; an error comes back beside its field with everything kept", async () => {
    await planCard(caseworker).getByRole("button", { name: "Redigér" }).click();
    await seen(caseworker, "Redigér fælles plan · SP-0001");
    const editCard = () => card(caseworker, "Redigér fælles plan · SP-0001");
    let form = editCard();
    await form.getByLabel("Indsats 1", { exact: true }).fill("Mentorforløb i praktik");
    await form.getByLabel("Formål", { exact: true }).first().fill("Borgeren får en mentor, der støtter fremmøde i praktik.");
    await form.getByLabel("Afdeling", { exact: true }).first().fill("Ungeindsatsen");
    await form.getByLabel("Person", { exact: true }).first().fill("Lise Mentor");
    await form.getByLabel("Fra", { exact: true }).first().fill(iso(7));
    await form.getByLabel("Til", { exact: true }).first().fill(iso(180));
    await form.getByRole("button", { name: "Tilføj indsats" }).click();

    await expect.poll(() => editCard().getByLabel("Indsats 2", { exact: true }).count(), { timeout: 20_000 }).toBe(1);
    form = editCard();
    expect(await form.getByLabel("Indsats 1", { exact: true }).inputValue()).toBe("Mentorforløb i praktik");
    expect(await form.getByLabel("Person", { exact: true }).first().inputValue()).toBe("Lise Mentor");
    expect(await form.getByLabel("Fra", { exact: true }).first().inputValue()).toBe(picked(7));
    await form.getByLabel("Indsats 2", { exact: true }).fill("Socialpædagogisk bostøtte");
    await form.getByLabel("Formål", { exact: true }).nth(1).fill("Støtte til at fastholde boligen og få struktur på hverdagen.");
    await form.getByLabel("Afdeling", { exact: true }).nth(1).fill("Myndighedsafdelingen");
    await form.getByLabel("Person", { exact: true }).nth(1).fill("Jonas Dahl");
    await form.getByLabel("Fra", { exact: true }).nth(1).fill(iso(14));
    await form.getByLabel("Til", { exact: true }).nth(1).fill(iso(200));
    await form.getByLabel("Efter indsats nr.", { exact: true }).nth(1).fill("1");
    await form.getByLabel("Opfølgning, beskæftigelse", { exact: true }).fill(iso(30));
    await form.getByLabel("Opfølgning, social", { exact: true }).fill(iso(37));
    await form.getByRole("radio", { name: "Jonas Dahl (socialområdet)" }).check();
    await form.getByLabel("Budget-/handleramme, kr. (valgfri)", { exact: true }).fill("50.000");
    await form.getByLabel("Opfølgning i forum (valgfri)", { exact: true }).fill(iso(60));
    // Rammen for samarbejdet is left empty.
    await form.getByRole("button", { name: "Gem" }).click();

    await seen(caseworker, "Planen er ikke gemt");
    form = editCard();
    expect(await form.innerText()).toContain("Feltet skal udfyldes.");
    expect(await form.getByLabel("Indsats 2", { exact: true }).inputValue()).toBe("Socialpædagogisk bostøtte");
    expect(await form.getByLabel("Efter indsats nr.", { exact: true }).nth(1).inputValue()).toBe("1");
    expect(await form.getByLabel("Budget-/handleramme, kr. (valgfri)", { exact: true }).inputValue()).toBe("50.000");
    await form.getByLabel("Rammen for samarbejdet", { exact: true }).scrollIntoViewIfNeeded();
    await screenshot(caseworker, "11-plan-edit");
    await form
      .getByLabel("Rammen for samarbejdet", { exact: true })
      .fill("Vi taler sammen hver anden uge. Jonas er borgerens faste indgang.");

    await form.getByRole("button", { name: "Gem" }).click();
    await seen(caseworker, "Version 1 er gemt");
    const plan = await planCard(caseworker).innerText();
    expect(plan).toContain("Kladde · version 1");
    expect(plan).toContain("Efter indsats 1: Mentorforløb i praktik");
  });

  it("both approve version 1: they are agreed", async () => {
    await seen(social, "Den fælles plan er ændret", 30_000);
    await card(social, "Den fælles plan er ændret").getByRole("button", { name: "Åbn fælles plan" }).click();
    await expect.poll(() => planCard(social).getByRole("button", { name: "Godkend version 1" }).count(), { timeout: 20_000 }).toBe(1);
    expect(await planCard(social).innerText()).toContain("Myndighedsafdelingen · Jonas Dahl");
    await planCard(social).getByRole("button", { name: "Godkend version 1" }).click();
    await seen(social, "Du har godkendt version 1");

    await card(caseworker, "Version 1 er gemt").getByRole("button", { name: "Godkend version 1" }).click();
    await seen(caseworker, "I er enige: version 1 er godkendt af jer begge");
    await seen(social, "I er enige om den fælles plan", 30_000);
  });

  it("Mette registers the meetings and the citizen's consent: the plan is active", async () => {
    await planCard(caseworker).getByRole("button", { name: "Registrér møder" }).click();
    await seen(caseworker, "Møder om planen · SP-0001");
    const meetings = card(caseworker, "Møder om planen · SP-0001");
    await meetings.getByLabel("Koordineringsmøde", { exact: true }).fill(iso(0));
    await meetings.getByLabel("Fællessamtale med borgeren", { exact: true }).fill(iso(0));
    await meetings.getByRole("button", { name: "Registrér møder" }).click();
    await seen(caseworker, "Møderne er registreret.");

    await planCard(caseworker).getByRole("button", { name: "Registrér samtykke / afslag" }).click();
    await seen(caseworker, "Borgerens samtykke · SP-0001");
    const consent = card(caseworker, "Borgerens samtykke · SP-0001");
    await consent.getByLabel("Dato for samtykke eller afslag", { exact: true }).fill(iso(0));
    expect(await consent.getByRole("checkbox", { name: "1. Mentorforløb i praktik" }).isChecked()).toBe(true);
    await consent.getByRole("checkbox", { name: "Helbredsforhold" }).check();
    await consent.getByRole("checkbox", { name: "Bolig" }).check();
    await consent.getByRole("button", { name: "Registrér samtykke", exact: true }).click();

    await seen(caseworker, "Borgerens samtykke er registreret. Planen er aktiv");
    const active = await planCard(caseworker).innerText();
    expect(active).toContain("Aktiv · version 1");
    expect(active).toContain(`Givet ${danish(0)} (til version 1)`);
    expect(active).toContain("Må deles mellem afdelingerne: Helbredsforhold, Bolig");
    await planCard(caseworker).scrollIntoViewIfNeeded();
    await screenshot(caseworker, "12-plan-active");
    await seen(social, "Den fælles plan er aktiv", 30_000);
  });

  it("Mette exports the plan: every element, as plain text in one message", async () => {
    await planCard(caseworker).getByRole("button", { name: "Eksportér" }).click();
    await seen(caseworker, "FÆLLES PLAN – SP-0001");
    await seen(caseworker, "Planen er sendt som tekst i chatten herunder");
    // The innermost element holding the whole message, from its first line to its last.
    const message = caseworker.locator("div", { hasText: "FÆLLES PLAN – SP-0001" }).filter({ hasText: "Oplysninger der må deles" }).last();
    const lines = await message.innerText();
    // One line each, as the caseworker copies it.
    expect(lines).toContain("Rammen for samarbejdet\nVi taler sammen hver anden uge. Jonas er borgerens faste indgang.\n");
    expect(lines).toContain("1. Mentorforløb i praktik\n");
    const text = lines.replace(/\s+/g, " ");
    for (const part of [
      "Status: Aktiv",
      "Version: 1",
      "Beskæftigelse: Mette Holm",
      "Socialområdet: Jonas Dahl",
      "Fast sagsbehandler (borgerens indgang): Jonas Dahl",
      "1. Mentorforløb i praktik",
      "Formål: Borgeren får en mentor, der støtter fremmøde i praktik.",
      "Varetages af: Ungeindsatsen, Lise Mentor",
      `Periode: ${danish(7)} – ${danish(180)}`,
      "Rækkefølge: parallelt",
      "2. Socialpædagogisk bostøtte",
      "Varetages af: Myndighedsafdelingen, Jonas Dahl",
      'Rækkefølge: efter "Mentorforløb i praktik"',
      "Rammen for samarbejdet Vi taler sammen hver anden uge. Jonas er borgerens faste indgang.",
      `Beskæftigelsesrettet indsats: ${danish(30)}`,
      `Social indsats: ${danish(37)}`,
      `Sparringsforum: ${danish(60)}`,
      "Budget-/handleramme: 50.000 kr.",
      "Mette Holm (beskæftigelse): godkendt",
      "Jonas Dahl (socialområdet): godkendt",
      `Koordineringsmøde: ${danish(0)}`,
      `Fællessamtale: ${danish(0)}`,
      `Givet: ${danish(0)} (til version 1)`,
      "Omfatter indsatserne: Mentorforløb i praktik, Socialpædagogisk bostøtte",
      "Oplysninger der må deles mellem afdelingerne: helbredsforhold, bolig",
    ])
      expect(text).toContain(part);
    await message.scrollIntoViewIfNeeded();
    await screenshot(caseworker, "13-plan-export");
  });
});
