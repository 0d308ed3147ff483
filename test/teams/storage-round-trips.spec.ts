import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { newSubmissionId } from "../../src/domain/case.js";
import { keys } from "../../src/storage/table-layout.js";
import { openTables, type TableClients } from "../../src/storage/table-storage.js";
import { VERBS } from "../../src/teams/verbs.js";
import { cardTexts, startBotHarness, type BotHarness } from "../support/bot-harness.js";
import { CASEWORKER, COLLEAGUE, fakeCprForAge, testMunicipality, validDraft } from "../support/fixtures.js";
import { describeRounds, probeStorage, sequentialRounds, type StorageProbe } from "../support/storage-probe.js";

/**
 * What a turn costs in storage round trips (issue 12): every request the bot's Table
 * clients send during one turn, counted at the wire end of the SDK pipeline, against
 * Azurite. Round trips sent while others are in flight count once ("sequential rounds").
 */
const municipality = testMunicipality();
let tables: TableClients;
let bot: BotHarness;
let probe: StorageProbe;

beforeAll(async () => {
  // Clients of this file's own, so the probe sees only this bot's requests.
  tables = await openTables(inject("azuriteConnectionString"));
  probe = probeStorage([tables.cases, tables.caseIndex, tables.addresses, tables.outbox]);
  bot = await startBotHarness({ municipality, tables });
});
afterAll(() => bot.close());

function form(age: number, overrides: Record<string, string> = {}) {
  const d = validDraft({ cpr: fakeCprForAge(age) });
  return {
    cpr: d.cpr,
    health: d.health,
    social: d.social,
    question: d.question,
    department: d.department,
    acute: "false",
    acuteReason: "",
    ...overrides,
  };
}

async function counted<T>(turn: () => Promise<T>) {
  probe.start();
  try {
    const result = await turn();
    const calls = probe.stop();
    return { result, calls, rounds: sequentialRounds(calls) };
  } catch (error) {
    probe.stop();
    throw error;
  }
}

function referenceOf(card: unknown): string {
  const reference = cardTexts(card).find((t) => /^SP-\d{4}$/.test(t));
  if (!reference) throw new Error(`No case was raised: ${JSON.stringify(card).slice(0, 400)}`);
  return reference;
}

describe("storage round trips per turn (Azurite)", () => {
  it("raises a booked case from the form in at most 4 sequential round trips", async () => {
    const { result, calls, rounds } = await counted(() =>
      bot.execute(VERBS.submitCase, { submissionId: newSubmissionId(), ...form(40) }, CASEWORKER),
    );
    const record = await bot.deps.cases.get(municipality.tenantId, Number(referenceOf(result.body.value).slice(3)));
    expect(record).toMatchObject({ state: "booked", slot: 0 });
    expect(rounds, describeRounds(calls)).toBeLessThanOrEqual(4);
    // Claim + counter, first meeting, channel; number; slot, pointer; case with its raise audit row, the audit
    // month's index row, summary, citizen (2), overview.
    expect(calls.length, describeRounds(calls)).toBeLessThanOrEqual(12);
  });

  it("raises an acute case, and a form rendered before this release (v4 id), in at most 4", async () => {
    for (const [submissionId, fields] of [
      [newSubmissionId(), form(35, { acute: "true", acuteReason: "Borgeren mister sin bolig i morgen" })],
      [randomUUID(), form(22)],
    ] as const) {
      const { result, calls, rounds } = await counted(() => bot.execute(VERBS.submitCase, { submissionId, ...fields }, CASEWORKER));
      referenceOf(result.body.value);
      expect(rounds, describeRounds(calls)).toBeLessThanOrEqual(4);
    }
  });

  it("answers the same form again from the case stored the first time, using up no case number, in at most 4", async () => {
    const submissionId = newSubmissionId();
    const first = referenceOf((await bot.execute(VERBS.submitCase, { submissionId, ...form(41) }, CASEWORKER)).body.value);
    const { result, calls, rounds } = await counted(() => bot.execute(VERBS.submitCase, { submissionId, ...form(41) }, CASEWORKER));
    expect(referenceOf(result.body.value)).toBe(first);
    expect(rounds, describeRounds(calls)).toBeLessThanOrEqual(4);
    const counter = await tables.caseIndex.getEntity<{ last: number }>(keys.counterPartition(municipality.tenantId), "case");
    const next = referenceOf(
      (await bot.execute(VERBS.submitCase, { submissionId: newSubmissionId(), ...form(42) }, CASEWORKER)).body.value,
    );
    expect(Number(next.slice(3))).toBe(counter.last + 1);
  });

  it("lists 20 cases in `mine sager` with at most 2 storage calls", async () => {
    const caseworker = COLLEAGUE;
    const raised = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const fields = form(31 + i, { acute: "true", acuteReason: "Akut" });
      raised.add(referenceOf((await bot.execute(VERBS.submitCase, { submissionId: newSubmissionId(), ...fields }, caseworker)).body.value));
    }
    const { result, calls } = await counted(() => bot.say("mine sager", caseworker));
    expect(new Set(JSON.stringify(result.replies).match(/SP-\d{4}/g))).toEqual(raised);
    expect(calls.length, describeRounds(calls)).toBeLessThanOrEqual(2);
  });
});
