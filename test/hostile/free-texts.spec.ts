import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SentActivity } from "../support/bot-harness.js";
import { FREE_TEXT_FIELDS, HOSTILE_TEXTS, TEXT_CPR, type FreeTextField, type Limit } from "./corpus/free-texts.js";
import {
  answerTexts,
  CHANNELS,
  displayedTexts,
  errorLines,
  linesWithCprShapedNumbers,
  expectDanishAnswer,
  holdsCpr,
  marker,
  startHostileWorld,
  type Fixtures,
  type World,
} from "./hostile-world.js";

/*
 * Every hostile text of corpus/free-texts.ts typed into every free-text field, through the
 * real bot, host and outbox on Azurite: stored as typed or refused in Danish, shown inert,
 * and never in a forum channel (case text) or a log line.
 */

let world: World;
let fixtures: Fixtures;
beforeAll(async () => {
  world = await startHostileWorld();
  fixtures = await world.setUp();
});
afterAll(() => world?.bot.close());

type Expected = "accepted" | "answered" | "required" | "too-long" | "too-many-lines";

/** A lone UTF-16 surrogate as U+FFFD, as UTF-8 encoding (sealing a text) turns it: either is the text as typed. */
const wellFormed = (text: string | undefined) =>
  text?.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
/** How the product keeps a text (SPEC §3): line breaks as `\n`, nothing blank or invisible around it; a name as sent. */
const normalised = (text: string, limit: Limit) =>
  limit.raw ? text : text.replace(/\r\n?/g, "\n").replace(/^[\s\u200B-\u200D\u2060]+|[\s\u200B-\u200D\u2060]+$/g, "");

/** What the field must do with `text`, by its limits as the product states them. */
function expectedOutcome(text: string, field: FreeTextField): Expected {
  if (field.limit === "never stored") return "answered";
  const n = normalised(text, field.limit);
  if (field.limit.required && n === "") return "required";
  if (n.length > field.limit.chars) return "too-long";
  if (n.split("\n").length > field.limit.lines) return "too-many-lines";
  return "accepted";
}

/** Why a text a user reads is not inert, if it is not. */
function notInert(text: string, format: "markdown" | "xml"): string[] {
  const problems: string[] = [];
  if (/[\u202A-\u202E\u2066-\u2069]/.test(text)) problems.push("a bidi override, embedding or isolate");
  if (format === "xml") {
    if (/<(?!br>)/i.test(text)) problems.push("a raw < in an XML message");
    return problems;
  }
  const bare = text.replace(/\\[\s\S]/g, "");
  if (/\[[^\]]*\]\(/.test(bare)) problems.push("a live markdown link or image");
  if (/<\/?[a-z][^>]*>/i.test(bare)) problems.push("a live HTML tag or mention");
  if (/<[a-z]+:/i.test(bare)) problems.push("a live autolink");
  // Emphasis, strike-through and code the text brought (the card's own texts use some).
  for (const [span] of bare.matchAll(/\*\*[^*\n]+\*\*|~~[^~\n]+~~|`[^`\n]+`/g))
    if (/Fritekst|fed|slet|kode/.test(span)) problems.push(`live markdown formatting: ${span}`);
  return problems;
}

/** Every text a user reads in what was answered, shown and sent, with the format it is rendered in. */
function readable(values: unknown[], sent: SentActivity[]): { text: string; format: "markdown" | "xml"; where: string }[] {
  const out: { text: string; format: "markdown" | "xml"; where: string }[] = [];
  for (const value of values) for (const text of answerTexts(value)) out.push({ text, format: "markdown", where: "answer" });
  for (const s of sent) {
    const where = decodeURIComponent(s.path);
    const body = s.body as SentActivity["body"] & { textFormat?: string };
    if (typeof body.text === "string") out.push({ text: body.text, format: body.textFormat === "xml" ? "xml" : "markdown", where });
    for (const a of body.attachments ?? []) for (const text of displayedTexts(a.content)) out.push({ text, format: "markdown", where });
  }
  return out;
}

const inChannel = (s: SentActivity) => Object.values(CHANNELS).some((c) => decodeURIComponent(s.path).includes(c));

describe("hostile text in every free-text field", () => {
  for (const field of FREE_TEXT_FIELDS) {
    describe(field.name, () => {
      const texts = HOSTILE_TEXTS.filter(
        (t) => field.texts === "all" || t.essential === true || (t.essential === "boundary" && field.texts !== "no boundary"),
      );
      for (const hostile of texts) {
        it(hostile.name, async () => {
          const m = marker("Fritekst");
          const limit = field.limit === "never stored" ? { chars: 500, lines: 5, required: false } : field.limit;
          const text = hostile.text(m, limit);
          const expected = expectedOutcome(text, field);
          const prepared = await field.prepare?.(world, fixtures, { stored: expected === "accepted" });
          const since = await world.mark();
          const sentBefore = world.bot.sent.length;
          const logsBefore = world.logLines.length;

          const entered = await field.enter(world, fixtures, text, prepared);
          const { answer } = entered;

          // Accepted and stored as typed, refused with the field's Danish error, or answered.
          if (expected === "accepted") {
            expect(answer.status, JSON.stringify(answer.value).slice(0, 400)).toBeLessThan(300);
            expect(wellFormed(await entered.stored?.()), "stored exactly as typed").toBe(wellFormed(normalised(text, limit)));
            // Whoever is told about it is told now (a refused text sends nothing; its answer is sent in the turn).
            await world.dispatch();
          } else {
            expect(await world.writtenSince(since, "home"), "nothing stored").toEqual([]);
            expect(await entered.stored?.(), "nothing stored").toBeUndefined();
            if ("status" in field.refusal) expect(answer.status).toBe(field.refusal.status);
            else {
              expect(answer.status).toBe(200);
              expect(answerTexts(answer.value).join("\n"), `refused: ${expected}`).toContain(
                field.refusal[expected as Exclude<Expected, "accepted" | "answered">],
              );
            }
            if (answer.status === 200) expectDanishAnswer(answerTexts(answer.value), field.name);
          }

          // Shown inert wherever it is shown, and case text in no channel.
          const sent = world.bot.sent.slice(sentBefore);
          const shown = expected === "accepted" ? ((await entered.shown?.()) ?? []) : [];
          const withMarker = readable([answer.value, ...shown], world.bot.sent.slice(sentBefore)).filter((r) => r.text.includes(m));
          for (const r of withMarker) expect(notInert(r.text, r.format), `${r.where}: ${JSON.stringify(r.text).slice(0, 300)}`).toEqual([]);
          if (text.includes("${health}") && field.limit !== "never stored")
            for (const r of withMarker) expect(r.text, "a template expression is shown as typed, never evaluated").toContain("${health}");
          for (const s of sent.filter(inChannel)) {
            const json = JSON.stringify(s.body);
            if (!field.reachesChannel) expect(json, "no case text in a forum channel").not.toContain(m);
            expect(holdsCpr(json, TEXT_CPR), `no CPR number in a forum channel: ${json.slice(0, 400)}`).toBe(false);
          }

          // Never logged.
          const lines = world.logLines.slice(logsBefore);
          expect(lines.filter((line) => line.includes(m) || holdsCpr(line, TEXT_CPR))).toEqual([]);
          expect(errorLines(lines)).toEqual([]);
        });
      }
      it("leaves the bot answering normal turns", () => world.expectAlive());
    });
  }
});

describe("the log, after the whole corpus", () => {
  it("holds no CPR-shaped number at all", () => expect(linesWithCprShapedNumbers(world.logLines)).toEqual([]));
});
