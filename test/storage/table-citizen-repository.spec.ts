import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import {
  bostotteDecisionId,
  bostotteFingerprint,
  emptyBostotteDraft,
  validateBostotteDraft,
  type BostotteDecision,
} from "../../src/domain/bostotte.js";
import { follow, followedBy, handOverFollowing, unfollow } from "../../src/domain/following.js";
import { handOverCase } from "../../src/domain/hand-over.js";
import { municipalitySchema, type Municipality } from "../../src/domain/municipality.js";
import { bostotteDecision, recordBostotteDecision } from "../../src/domain/record-bostotte.js";
import { notifyTargetGroupChanges } from "../../src/domain/target-group-change.js";
import { DEFAULT_TIME_ZONE } from "../../src/domain/time.js";
import { FieldCipher } from "../../src/storage/field-cipher.js";
import { TableCaseRepository } from "../../src/storage/table-case-repository.js";
import { TableCitizenRepository } from "../../src/storage/table-citizen-repository.js";
import { keys } from "../../src/storage/table-layout.js";
import { TableOutbox } from "../../src/storage/table-outbox.js";
import type { TableClients } from "../../src/storage/table-storage.js";
import { CASEWORKER, fakeCpr, fakeCprForAge, newCase, SOCIAL_CASEWORKER, testMunicipality } from "../support/fixtures.js";
import { ManualClock } from "../support/in-memory/index.js";
import { auditRows, azuriteTables, messageRows } from "../support/table-rows.js";

const NOW = new Date("2026-11-23T10:00:00Z");
const TODAY = { year: 2026, month: 11, day: 23 };
const COLLEAGUE = { aadObjectId: "aaaaaaaa-1111-4000-8000-000000000041", name: "Kollega" };
const cipher = new FieldCipher(Buffer.alloc(32, 9));

let tables: TableClients;
let outbox: TableOutbox;

beforeAll(async () => {
  tables = await azuriteTables();
  outbox = new TableOutbox(tables.cases, tables.outbox);
});

/** A fresh tenant with the ports on Azurite; a second "instance" is just a second set of objects on the same tables. */
function setup() {
  const base = testMunicipality(randomUUID());
  const municipality: Municipality = municipalitySchema.parse({
    ...base,
    roles: { ...base.roles, caseworkers: [CASEWORKER.aadObjectId, COLLEAGUE.aadObjectId] },
  });
  const instance = () => {
    const box = new TableOutbox(tables.cases, tables.outbox);
    return {
      citizens: new TableCitizenRepository(tables.cases, tables.caseIndex, cipher, box),
      cases: new TableCaseRepository(tables.cases, tables.caseIndex, cipher, box),
      clock: new ManualClock(NOW),
      timeZone: DEFAULT_TIME_ZONE,
    };
  };
  return { municipality, tenantId: municipality.tenantId, deps: instance(), other: instance() };
}

function grantFor(municipality: Municipality, cpr: string, purpose = "Hjælp til at holde på boligen"): BostotteDecision {
  const result = validateBostotteDraft(
    emptyBostotteDraft({
      kind: "bevilling",
      cpr,
      legalBasis: "sel-85",
      hours: "5",
      hoursPer: "week",
      from: "2026-12-01",
      to: "2027-05-31",
      purpose,
    }),
    municipality,
    TODAY,
  );
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}

const citizenPk = (tenantId: string, citizenId: string) => keys.citizenPartition(tenantId, citizenId);

async function rawRows(table: TableClients["cases"], partitionKey: string): Promise<string> {
  const rows: unknown[] = [];
  for await (const row of table.listEntities({ queryOptions: { filter: `PartitionKey eq '${partitionKey}'` } })) rows.push(row);
  return JSON.stringify(rows);
}

describe("TableCitizenRepository (Azurite)", () => {
  it("keeps the CPR number and all free text sealed, the citizen found only through the keyed hash", async () => {
    const { municipality, tenantId, deps } = setup();
    const cpr = fakeCprForAge(40, NOW);
    const digits = cpr.replace("-", "");
    const followed = await follow(deps, { municipality, cpr, purpose: "bostotte-orientering", user: CASEWORKER.aadObjectId });
    if (followed.kind !== "followed") throw new Error(followed.kind);
    await deps.citizens.linkCase(tenantId, digits, 12, CASEWORKER.aadObjectId);
    const recorded = await recordBostotteDecision(deps, {
      municipality,
      decision: grantFor(municipality, cpr, "Særligt hemmeligt formål"),
      by: { id: "app-1", name: "Sara Socialrådgiver" },
      source: "api",
      eventId: "evt-sealed",
    });
    expect(recorded.kind).toBe("recorded");

    expect(followed.citizenId).not.toContain(digits.slice(0, 6));
    const stored = [
      await rawRows(tables.cases, citizenPk(tenantId, followed.citizenId)),
      await rawRows(tables.caseIndex, keys.followingPartition(tenantId, CASEWORKER.aadObjectId)),
      await rawRows(
        tables.caseIndex,
        keys.birthdayPartition(tenantId, `${digits.slice(2, 4)}${String(Number(digits.slice(0, 2)) - 60).padStart(2, "0")}`),
      ),
    ];
    for (const text of stored) {
      expect(text).not.toBe("[]");
      expect(text).not.toContain(digits);
      expect(text).not.toContain(digits.slice(0, 6));
      expect(text).not.toContain("hemmeligt");
      expect(text).not.toContain("Sara");
    }
    const shown = await bostotteDecision(deps, {
      municipality,
      id: (recorded as { record: { id: string } }).record.id,
      user: CASEWORKER.aadObjectId,
    });
    expect(shown).toMatchObject({
      kind: "shown",
      record: { decision: { cprDigits: digits, frame: { purpose: "Særligt hemmeligt formål" } }, decidedByName: "Sara Socialrådgiver" },
    });
  });

  it("records an event id once: the same event again is a duplicate with one outbox row, other content a conflict", async () => {
    const { municipality, tenantId, deps } = setup();
    const cpr = fakeCprForAge(40, NOW);
    await deps.citizens.linkCase(tenantId, cpr.replace("-", ""), 3, CASEWORKER.aadObjectId);
    const event = {
      municipality,
      decision: grantFor(municipality, cpr),
      by: { id: "app-1", name: "" },
      source: "api" as const,
      eventId: "evt-1",
    };

    const first = await recordBostotteDecision(deps, event);
    const again = await recordBostotteDecision(deps, event);
    const other = await recordBostotteDecision(deps, { ...event, decision: grantFor(municipality, cpr, "Et andet formål") });
    expect(first.kind).toBe("recorded");
    expect(again).toEqual({ kind: "duplicate", record: (first as { record: unknown }).record });
    expect(other).toMatchObject({ kind: "conflict" });

    if (first.kind !== "recorded") return;
    const messages = await messageRows(tables.cases, citizenPk(tenantId, first.record.citizenId));
    expect(messages.map((m) => [m.target, m.content])).toEqual([
      [
        { kind: "personal", aadObjectId: CASEWORKER.aadObjectId },
        { kind: "bostotte", decisionId: first.record.id, decision: "bevilling", audience: "caseworker" },
      ],
    ]);
    expect((await auditRows(tables.cases, citizenPk(tenantId, first.record.citizenId))).map((a) => a.action)).toEqual(["bostotte-record"]);
  });

  it("records one decision and one set of messages when the same event arrives on several instances at once", async () => {
    const { municipality, tenantId, deps, other } = setup();
    const cpr = fakeCprForAge(33, NOW);
    await deps.citizens.linkCase(tenantId, cpr.replace("-", ""), 4, CASEWORKER.aadObjectId);
    const event = {
      municipality,
      decision: grantFor(municipality, cpr),
      by: { id: "app-1", name: "" },
      source: "api" as const,
      eventId: "evt-race",
    };
    const outcomes = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => recordBostotteDecision(i % 2 ? other : deps, event)));
    expect(outcomes.filter((o) => o.kind === "recorded")).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === "duplicate")).toHaveLength(5);
    const citizenId = (outcomes.find((o) => o.kind === "recorded") as { record: { citizenId: string } }).record.citizenId;
    expect(await messageRows(tables.cases, citizenPk(tenantId, citizenId))).toHaveLength(1);
  });

  it("completes a decision whose event id was claimed by an attempt cut off before it was stored", async () => {
    const { municipality, tenantId, deps } = setup();
    const cpr = fakeCprForAge(40, NOW);
    const decision = grantFor(municipality, cpr);
    const claim = {
      tenantId,
      decisionId: bostotteDecisionId(tenantId, "api", "evt-cut"),
      fingerprint: bostotteFingerprint(decision),
      cprDigits: decision.cprDigits,
    };
    const audit = { at: NOW.toISOString(), user: "app-1", action: "bostotte-record" as const, purpose: "test" };
    await expect(
      deps.citizens.recordBostotte(
        claim,
        () => {
          throw new Error("crash after the claim");
        },
        audit,
      ),
    ).rejects.toThrow("crash after the claim");
    const outcome = await recordBostotteDecision(deps, {
      municipality,
      decision,
      by: { id: "app-1", name: "" },
      source: "api",
      eventId: "evt-cut",
    });
    expect(outcome).toMatchObject({ kind: "recorded", record: { fallbackForumId: "voksne" } });
  });

  it("commits a decision's messages where the outbox dispatcher finds and loads them", async () => {
    const { municipality, tenantId, deps } = setup();
    const recorded = await recordBostotteDecision(deps, {
      municipality,
      decision: grantFor(municipality, fakeCprForAge(21, NOW)),
      by: { id: SOCIAL_CASEWORKER.aadObjectId, name: SOCIAL_CASEWORKER.name },
      source: "bot",
      eventId: randomUUID(),
    });
    if (recorded.kind !== "recorded") throw new Error(recorded.kind);
    const [pointer] = await outbox.due(tenantId, new Date(NOW.getTime() + 1000), 10);
    expect(pointer).toBeDefined();
    expect(await outbox.load(pointer!)).toMatchObject({
      target: { kind: "forum-channel", forumId: "unge" },
      content: { kind: "bostotte", decisionId: recorded.record.id, decision: "bevilling", audience: "forum" },
    });
  });

  it("follows, lists, hands over and unfollows through the follower index", async () => {
    const { municipality, tenantId, deps } = setup();
    const cpr = fakeCprForAge(45, NOW);
    const followed = await follow(deps, { municipality, cpr, purpose: "beskaeftigelsessag", user: CASEWORKER.aadObjectId });
    if (followed.kind !== "followed") throw new Error(followed.kind);
    const { citizenId } = followed;
    expect(await follow(deps, { municipality, cpr, purpose: "andet", user: CASEWORKER.aadObjectId })).toMatchObject({
      kind: "already-following",
      citizenId,
    });
    expect((await followedBy(deps, { municipality, user: CASEWORKER.aadObjectId })).citizens).toEqual([
      { citizenId, cprDigits: cpr.replace("-", ""), purpose: "beskaeftigelsessag", since: NOW.toISOString() },
    ]);

    deps.clock.advance(1000);
    expect(await handOverFollowing(deps, { municipality, citizenId, from: CASEWORKER.aadObjectId, to: COLLEAGUE.aadObjectId })).toEqual({
      kind: "handed-over",
    });
    expect((await followedBy(deps, { municipality, user: CASEWORKER.aadObjectId })).citizens).toEqual([]);
    expect((await followedBy(deps, { municipality, user: COLLEAGUE.aadObjectId })).citizens.map((c) => c.purpose)).toEqual([
      "beskaeftigelsessag",
    ]);
    expect((await messageRows(tables.cases, citizenPk(tenantId, citizenId))).map((m) => m.content)).toEqual([
      { kind: "following-handed-over", citizenId, from: CASEWORKER.aadObjectId },
    ]);

    deps.clock.advance(1000);
    expect(await unfollow(deps, { municipality, citizenId, reason: "ikke-relevant", user: COLLEAGUE.aadObjectId })).toEqual({
      kind: "unfollowed",
    });
    expect(await unfollow(deps, { municipality, citizenId, reason: "ikke-relevant", user: COLLEAGUE.aadObjectId })).toEqual({
      kind: "not-following",
    });
    expect((await followedBy(deps, { municipality, user: COLLEAGUE.aadObjectId })).citizens).toEqual([]);
    expect((await auditRows(tables.cases, citizenPk(tenantId, citizenId))).map((a) => [a.action, a.user])).toEqual([
      ["follow", CASEWORKER.aadObjectId],
      ["follow-hand-over", CASEWORKER.aadObjectId],
      ["unfollow", COLLEAGUE.aadObjectId],
    ]);
  });

  it("lets only one of two caseworkers racing to unfollow succeed", async () => {
    const { municipality, deps, other } = setup();
    const followed = await follow(deps, { municipality, cpr: fakeCprForAge(45, NOW), purpose: "andet", user: CASEWORKER.aadObjectId });
    if (followed.kind !== "followed") throw new Error(followed.kind);
    const outcomes = await Promise.all(
      [deps, other].map((d) => unfollow(d, { municipality, citizenId: followed.citizenId, reason: "andet", user: CASEWORKER.aadObjectId })),
    );
    expect(outcomes.map((o) => o.kind).sort()).toEqual(["not-following", "unfollowed"]);
  });

  it("links cases idempotently and indexes the citizen's birthday", async () => {
    const { tenantId, deps } = setup();
    const digits = fakeCpr({ year: 2008, month: 2, day: 29 }).replace("-", "");
    await deps.citizens.linkCase(tenantId, digits, 5, CASEWORKER.aadObjectId);
    await deps.citizens.linkCase(tenantId, digits, 5, CASEWORKER.aadObjectId);
    await deps.citizens.changeCaseworker(tenantId, digits, 5, COLLEAGUE.aadObjectId);
    const born = await deps.citizens.birthdaysOn(tenantId, "0229");
    expect(born.map((b) => b.cprDigits)).toEqual([digits]);
    expect(await deps.citizens.links(tenantId, born[0]!.citizenId)).toEqual({
      citizenId: born[0]!.citizenId,
      cprDigits: digits,
      followers: [],
      cases: [{ caseNo: 5, raisedBy: COLLEAGUE.aadObjectId }],
    });
    expect(await deps.citizens.birthdaysOn(tenantId, "0301")).toEqual([]);
  });

  it("sends each målgruppeskift message once when two instances run the job at the same moment", async () => {
    const { municipality, tenantId, deps, other } = setup();
    const digits = fakeCpr({ year: 2008, month: 11, day: 23 }).replace("-", "");
    const { record } = await deps.cases.raise(
      randomUUID(),
      newCase(tenantId, { cprDigits: digits, age: 17, forumId: "unge" }),
      async () => ({ state: "acute" }),
      () => [],
    );
    const visitated = await deps.cases.change(
      tenantId,
      record.caseNo,
      record.version,
      { state: "visitated", socialCaseworker: SOCIAL_CASEWORKER.aadObjectId },
      {
        at: NOW.toISOString(),
        user: "test",
        action: "decide",
        purpose: "start",
      },
    );
    expect(visitated).toBeDefined();
    await deps.citizens.linkCase(tenantId, digits, record.caseNo, record.raisedBy);

    const counts = await Promise.all([notifyTargetGroupChanges(deps, municipality), notifyTargetGroupChanges(other, municipality)]);
    expect(counts[0] + counts[1]).toBe(2);
    expect(await notifyTargetGroupChanges(deps, municipality)).toBe(0);
    const citizenId = (await deps.citizens.birthdaysOn(tenantId, "1123"))[0]!.citizenId;
    const messages = await messageRows(tables.cases, citizenPk(tenantId, citizenId));
    expect(messages.map((m) => [m.target, m.content]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
      [
        { kind: "personal", aadObjectId: CASEWORKER.aadObjectId },
        { kind: "target-group-change", caseNos: [record.caseNo], age: 18, date: "2026-11-23", audience: "caseworker" },
      ],
      [
        { kind: "personal", aadObjectId: SOCIAL_CASEWORKER.aadObjectId },
        { kind: "target-group-change", caseNos: [record.caseNo], age: 18, date: "2026-11-23", audience: "social-caseworker" },
      ],
    ]);
  });
});

describe("sagsbehandlerskift in storage", () => {
  it("moves the case from the old caseworker's 'mine sager' to the new one's, and its citizen link with it", async () => {
    const { municipality, tenantId, deps } = setup();
    const digits = fakeCprForAge(40, NOW).replace("-", "");
    const { record } = await deps.cases.raise(
      randomUUID(),
      newCase(tenantId, { cprDigits: digits }),
      async () => ({ state: "acute" }),
      () => [],
    );
    await deps.citizens.linkCase(tenantId, digits, record.caseNo, record.raisedBy);

    const outcome = await handOverCase(deps, {
      municipality,
      caseNo: record.caseNo,
      expectedVersion: record.version,
      from: CASEWORKER,
      to: COLLEAGUE,
    });
    expect(outcome).toMatchObject({ kind: "handed-over", record: { raisedBy: COLLEAGUE.aadObjectId } });
    expect(await deps.cases.listRaisedBy(tenantId, CASEWORKER.aadObjectId, 10)).toEqual([]);
    expect((await deps.cases.listRaisedBy(tenantId, COLLEAGUE.aadObjectId, 10)).map((c) => [c.caseNo, c.raisedByName])).toEqual([
      [record.caseNo, COLLEAGUE.name],
    ]);
    const monthDay = `${digits.slice(2, 4)}${String(Number(digits.slice(0, 2)) - 60).padStart(2, "0")}`;
    const citizenId = (await deps.citizens.birthdaysOn(tenantId, monthDay))[0]!.citizenId;
    expect((await deps.citizens.links(tenantId, citizenId))?.cases).toEqual([{ caseNo: record.caseNo, raisedBy: COLLEAGUE.aadObjectId }]);
    const messages = await messageRows(tables.cases, keys.casePartition(tenantId, record.caseNo));
    expect(messages.filter((m) => m.content.kind === "caseworker-change").map((m) => m.target)).toEqual([
      { kind: "personal", aadObjectId: COLLEAGUE.aadObjectId },
    ]);
  });

  it("leaves 'mine sager' as it was when the hand-over loses to another change", async () => {
    const { tenantId, deps } = setup();
    const { record } = await deps.cases.raise(
      randomUUID(),
      newCase(tenantId),
      async () => ({ state: "acute" }),
      () => [],
    );
    const lost = await deps.cases.change(
      tenantId,
      record.caseNo,
      record.version + 1,
      { raisedBy: COLLEAGUE.aadObjectId, raisedByName: COLLEAGUE.name },
      {
        at: NOW.toISOString(),
        user: CASEWORKER.aadObjectId,
        action: "hand-over",
        purpose: "test",
      },
    );
    expect(lost).toBeUndefined();
    expect((await deps.cases.listRaisedBy(tenantId, CASEWORKER.aadObjectId, 10)).map((c) => c.caseNo)).toEqual([record.caseNo]);
    expect(await deps.cases.listRaisedBy(tenantId, COLLEAGUE.aadObjectId, 10)).toEqual([]);
  });
});
