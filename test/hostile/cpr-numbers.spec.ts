import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maskCpr } from "../../src/domain/cpr.js";
import { FOLLOW_TEXT, fieldErrorText, TEXT } from "../../src/teams/messages.js";
import { VERBS } from "../../src/teams/verbs.js";
import { cardTexts } from "../support/bot-harness.js";
import { CPR_CASES, type CprCase } from "./corpus/cpr-numbers.js";
import { answerTexts, errorLines, expectDanishAnswer, holdsCpr, startHostileWorld, type World } from "./hostile-world.js";

/*
 * Every CPR number of corpus/cpr-numbers.ts typed into the raise-case form and the "følg"
 * form, through the real bot and host on Azurite.
 */

let world: World;
beforeAll(async () => {
  world = await startHostileWorld();
  await world.setUpChats();
});
afterAll(() => world?.bot.close());

/** The ten digits an entry is about, to look for in channels and logs (a typed number may have fewer). */
const digitsOf = (c: CprCase) => ("accepted" in c ? c.accepted.digits : c.typed.normalize("NFKC").replace(/\D/g, ""));
const TEN_DIGITS = CPR_CASES.map(digitsOf).filter((digits) => digits.length === 10);

/** No number of the corpus in what the log got since `since`, and no error: checked after each entry. */
function expectNotLogged(since: number) {
  const lines = world.logLines.slice(since);
  expect(lines.filter((line) => TEN_DIGITS.some((digits) => holdsCpr(line, digits)))).toEqual([]);
  expect(errorLines(lines)).toEqual([]);
}

describe("CPR numbers typed into the raise-case form", () => {
  for (const c of CPR_CASES) {
    it(`${"accepted" in c ? "accepts" : "refuses"} ${c.name}: ${JSON.stringify(c.typed).slice(0, 40)}`, async () => {
      const logsBefore = world.logLines.length;
      const at = await world.mark();
      const form = {
        submissionId: randomUUID(),
        cpr: c.typed,
        health: "Smerter",
        social: "Gæld",
        question: "Hvad nu?",
        department: "Jobcenter",
        acute: "true",
        acuteReason: "Nu",
      };
      const answer = await world.press(VERBS.submitCase, form, "caseworker");
      expect(answer.status).toBe(200);
      const texts = answerTexts(answer.value);
      expectDanishAnswer(texts, c.name);
      if ("accepted" in c) {
        const reference = cardTexts(answer.value).find((t) => /^SP-\d{4}$/.test(t));
        expect(reference, JSON.stringify(texts).slice(0, 400)).toBeDefined();
        const stored = await world.storedCase(Number(reference!.slice(3)));
        expect({ digits: stored.cprDigits, age: stored.age, forum: stored.forumId }).toEqual(c.accepted);
        expect(texts.join("\n"), "shown masked").toContain(maskCpr(c.accepted.digits));
        expect(
          texts.some((t) => holdsCpr(t, c.accepted.digits)),
          "never shown in full",
        ).toBe(false);
      } else {
        const error = c.refused === "unreadable" ? TEXT.expiredForm : fieldErrorText(c.refused, world.municipality.minimumAge);
        expect(texts.join("\n")).toContain(error);
        expect(await world.writtenSince(at, "home"), "nothing stored").toEqual([]);
      }
      expectNotLogged(logsBefore);
    });
  }
});

describe("CPR numbers typed into the 'følg' form", () => {
  for (const c of CPR_CASES) {
    it(`${"accepted" in c ? "accepts" : "refuses"} ${c.name}: ${JSON.stringify(c.typed).slice(0, 40)}`, async () => {
      const logsBefore = world.logLines.length;
      const at = await world.mark();
      const answer = await world.press(VERBS.followCitizen, { cpr: c.typed, purpose: "andet" }, "caseworker");
      expect(answer.status).toBe(200);
      const texts = answerTexts(answer.value);
      expectDanishAnswer(texts, c.name);
      if ("accepted" in c) {
        // The same citizen however the number is written: followed once, then "already".
        expect(texts.join("\n")).toMatch(new RegExp(`Du følger (nu|allerede) borgeren ${maskCpr(c.accepted.digits)}`));
      } else {
        const error =
          c.refused === "unreadable"
            ? FOLLOW_TEXT.followCommandHelp
            : FOLLOW_TEXT.fieldError[c.refused as keyof typeof FOLLOW_TEXT.fieldError];
        expect(texts.join("\n")).toContain(error);
        expect(await world.writtenSince(at, "home"), "nothing stored").toEqual([]);
      }
      expectNotLogged(logsBefore);
    });
  }
  it("leaves the bot answering normal turns", () => world.expectAlive());
});

describe("what the forum channels got", () => {
  it("holds none of the numbers, once everything the cases caused is sent", async () => {
    const logsBefore = world.logLines.length;
    await world.dispatch();
    const channel = world.channelTraffic(0).map((s) => JSON.stringify(s.body));
    expect(channel.length, "the raised cases' cards went to the channels").toBeGreaterThan(10);
    for (const json of channel) expect(TEN_DIGITS.filter((digits) => holdsCpr(json, digits))).toEqual([]);
    expectNotLogged(logsBefore);
  });
});
