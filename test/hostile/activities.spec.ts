import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIVITY_CASES, HOSTILE_ACTIVITY_CPR, type Activity } from "./corpus/activities.js";
import {
  answerTexts,
  errorLines,
  linesWithCprShapedNumbers,
  expectDanishAnswer,
  holdsCpr,
  startHostileWorld,
  type World,
} from "./hostile-world.js";

/*
 * The hostile activities of corpus/activities.ts, each sent as the body of
 * `POST /api/messages` to the real host (local mode, loopback only) on Azurite.
 */

let world: World;
beforeAll(async () => {
  world = await startHostileWorld();
  await world.setUpChats();
});
afterAll(() => world?.bot.close());

function validActivity(): Activity {
  return { ...world.activity("caseworker"), type: "message", text: "mine sager" } as unknown as Activity;
}

async function send(method: string, body: { json: unknown } | { raw: string | Buffer }) {
  const payload = "json" in body ? JSON.stringify(body.json) : body.raw;
  const res = await fetch(world.bot.endpoint, {
    method,
    headers: { "content-type": "application/json" },
    ...(method === "GET" ? {} : { body: payload }),
  });
  return { status: res.status, text: await res.text() };
}

describe("malformed and hostile activities", () => {
  for (const entry of ACTIVITY_CASES) {
    it(entry.name, async () => {
      const tenants = { home: world.municipality.tenantId, other: world.other.tenantId };
      const before = await world.snapshot();
      const sentBefore = world.bot.sent.length;
      const logsBefore = world.logLines.length;

      const res = await send(entry.method ?? "POST", entry.send(validActivity(), tenants));

      expect(res.status, res.text.slice(0, 300)).toBe(entry.expect.status);
      if (res.status >= 400 && res.status !== 501) expect(() => JSON.parse(res.text), "an error answer is JSON").not.toThrow();
      const replies = world.bot.sent.slice(sentBefore).map((s) => s.body);
      const reply = entry.expect.reply;
      if (reply === "silent" || res.status >= 300) expect(replies, "nothing is answered in chat").toEqual([]);
      else if (reply === "card") expect(replies.flatMap((r) => r.attachments ?? []).length).toBeGreaterThan(0);
      else if (reply === "answer") expectDanishAnswer(answerTexts(replies), entry.name);
      else if (reply !== undefined) {
        expectDanishAnswer(answerTexts(replies), entry.name);
        expect(answerTexts(replies).join("\n")).toContain(reply);
      }

      expect(await world.changesSince(before), "nothing is stored").toEqual([]);
      const lines = world.logLines.slice(logsBefore);
      expect(errorLines(lines), "the caller's mistake is no error of ours").toEqual([]);
      expect(lines.filter((line) => holdsCpr(line, HOSTILE_ACTIVITY_CPR) || /alvorlig sygdom/.test(line))).toEqual([]);
      expect(Object.prototype).not.toHaveProperty("polluted");
      await world.expectAlive();
    });
  }
});

describe("the log, after the whole corpus", () => {
  it("holds no CPR-shaped number at all", () => expect(linesWithCprShapedNumbers(world.logLines)).toEqual([]));
});
