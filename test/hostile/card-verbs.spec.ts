import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { followedBy } from "../../src/domain/following.js";
import { COUNTER_ROW, keys } from "../../src/storage/table-layout.js";
import type { TableClients } from "../../src/storage/table-storage.js";
import { VERBS, type Verb } from "../../src/teams/verbs.js";
import { azuriteTables } from "../support/table-rows.js";
import { UNKNOWN_VERBS, VERB_CORPUS, type VerbCase } from "./corpus/card-verbs.js";
import {
  answerTexts,
  errorLines,
  linesWithCprShapedNumbers,
  expectDanishAnswer,
  idOf,
  startHostileWorld,
  type Fixtures,
  type World,
} from "./hostile-world.js";

/*
 * Every verb of src/teams/verbs.ts pressed with the tampered data of corpus/card-verbs.ts,
 * through the real bot and host on Azurite. A tampered press gets a Danish answer (HTTP 200,
 * the text the corpus names) and changes nothing but audit rows; the real press, last,
 * proves the corpus aims at something real.
 */

let world: World;
let fixtures: Fixtures;
let tables: TableClients;
beforeAll(async () => {
  tables = await azuriteTables();
  world = await startHostileWorld();
  fixtures = await world.setUp();
});
afterAll(() => world?.bot.close());

const matches = (texts: string[], wanted: string | RegExp) =>
  texts.some((t) => (typeof wanted === "string" ? t.includes(wanted) : wanted.test(t)));

/** What a press aims at, as stored: its case and plan, the last case number, and whom the caseworker follows. */
async function fingerprint(valid: Record<string, unknown>): Promise<string> {
  const { deps } = world.bot;
  const tenant = world.municipality.tenantId;
  const caseNo = Number(valid["caseNo"]);
  const aimed =
    Number.isSafeInteger(caseNo) && caseNo > 0 ? [await deps.cases.get(tenant, caseNo), await deps.plans.get(tenant, caseNo)] : [];
  const counter = await tables.caseIndex.getEntity(keys.counterPartition(tenant), COUNTER_ROW).catch(() => undefined);
  const following =
    "citizenId" in valid || "cpr" in valid
      ? (await followedBy(deps, { municipality: world.municipality, user: idOf("caseworker") })).citizens.map((c) => c.citizenId)
      : [];
  return JSON.stringify([aimed, counter?.["last"] ?? counter?.etag, following]);
}

/** Wrong values for a field of the real data: wrapped, of another type, out of range. */
function wrongValues(value: unknown): { name: string; value: unknown }[] {
  const common = [
    { name: "wrapped in an array", value: [value] },
    { name: "an object", value: { $gt: "" } },
  ];
  if (typeof value === "number")
    return [
      ...common,
      { name: "true", value: true },
      { name: "negative", value: -value },
      { name: "a fraction", value: value + 0.5 },
      { name: "in hex", value: `0x${value.toString(16)}` },
      { name: "in exponent notation", value: `${value}e0` },
    ];
  return [...common, { name: "a number", value: 5 }, { name: "30,000 characters", value: "x".repeat(30_000) }];
}

/**
 * Presses `c` and checks what holds for every tampered press: HTTP 200, a Danish answer (the
 * one the corpus names), and the pressed-at case, plan and followings as they were (`unchanged`).
 */
async function pressAndCheck(verb: unknown, c: VerbCase, valid: Record<string, unknown>, label: string, unchanged: string) {
  const answer = await world.press(verb, c.data, c.as ?? "caseworker", c.tenant ? { tenant: c.tenant } : {});
  expect.soft(answer.status, `${label}: HTTP 200`).toBe(200);
  const texts = answerTexts(answer.value);
  expectDanishAnswer(texts, label);
  expect.soft(matches(texts, c.refused), `${label}: answers ${String(c.refused)}, got ${JSON.stringify(texts).slice(0, 500)}`).toBe(true);
  expect.soft(await fingerprint(valid), `${label}: nothing changed`).toBe(unchanged);
}

describe("every card verb, tampered", () => {
  it("has an entry in the corpus for every verb", () => {
    expect(Object.keys(VERB_CORPUS).sort()).toEqual(Object.keys(VERBS).sort());
  });

  for (const verb of Object.keys(VERBS) as Verb[]) {
    describe(verb, () => {
      const spec = VERB_CORPUS[verb];
      let valid: Record<string, unknown>;
      beforeAll(async () => {
        if (!spec) return;
        for (const key of ["booked", "youth", "acute", "awaiting", "closed", "agreed", "active"] as const)
          fixtures[key] = await world.storedCase(fixtures[key].caseNo);
        valid = await spec.prepare(world, fixtures);
      });

      it("is in the corpus", () => expect(spec, `no entry for ${verb} in test/hostile/corpus/card-verbs.ts`).toBeDefined());

      it("refuses tampered presses in Danish and changes nothing", async () => {
        const since = await world.mark();
        const logsBefore = world.logLines.length;
        const unchanged = await fingerprint(valid);
        for (const c of spec.cases(valid, fixtures))
          await pressAndCheck(verb, { ...c, as: c.as ?? spec.as }, valid, `${verb}: ${c.name} (as ${c.as ?? spec.as})`, unchanged);
        const changes = (await world.writtenSince(since)).filter((row) => !spec.rewrites?.rows.test(row));
        expect(changes, `${verb}: the tampered presses stored nothing but audit rows`).toEqual([]);
        expect(errorLines(world.logLines.slice(logsBefore)), `${verb}: no error logged for a caller's mistake`).toEqual([]);
      });

      it("refuses every field missing or of the wrong type, and data that is no object", async () => {
        const since = await world.mark();
        const logsBefore = world.logLines.length;
        const unchanged = await fingerprint(valid);
        const as = spec.as;
        const presses: { name: string; data: unknown }[] = [
          { name: "no data", data: undefined },
          { name: "data a string", data: "tekst" },
          { name: "data an array", data: [valid] },
          { name: "data null", data: null },
        ];
        for (const field of spec.mutate ?? Object.keys(valid)) {
          if (!spec.optional?.includes(field)) presses.push({ name: `${field} missing`, data: { ...valid, [field]: undefined } });
          for (const wrong of wrongValues(valid[field]))
            presses.push({ name: `${field} ${wrong.name}`, data: { ...valid, [field]: wrong.value } });
        }
        for (const p of presses)
          await pressAndCheck(verb, { name: p.name, data: p.data, refused: /./, as }, valid, `${verb}: ${p.name}`, unchanged);
        expect(await world.writtenSince(since), `${verb}: the tampered presses stored nothing but audit rows`).toEqual([]);
        expect(errorLines(world.logLines.slice(logsBefore)), `${verb}: no error logged for a caller's mistake`).toEqual([]);
      });

      it("accepts the real press (so the tampered ones aimed at something real)", async () => {
        const answer = await world.press(verb, valid, spec.as);
        expect(answer.status).toBe(200);
        expect(matches(answerTexts(answer.value), spec.accepted), JSON.stringify(answerTexts(answer.value)).slice(0, 800)).toBe(true);
      });
    });
  }
});

describe("verbs no card has", () => {
  it("answers each in Danish, changes nothing, and the next press works", async () => {
    const before = await world.snapshot();
    for (const { name, verb } of UNKNOWN_VERBS) {
      for (const who of ["caseworker", "outsider"] as const) {
        const answer = await world.press(verb, { caseNo: fixtures.booked.caseNo }, who);
        expect.soft(answer.status, `${name}: HTTP 200`).toBe(200);
        expectDanishAnswer(answerTexts(answer.value), name);
      }
    }
    expect(await world.changesSince(before)).toEqual([]);
    await world.expectAlive();
  });
});

describe("the log, after the whole corpus", () => {
  it("holds no CPR-shaped number at all", () => expect(linesWithCprShapedNumbers(world.logLines)).toEqual([]));
});
