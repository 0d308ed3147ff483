import { randomUUID } from "node:crypto";
import { fc, test } from "@fast-check/vitest";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import type { CaseRecord } from "../../src/domain/case.js";
import { ageOn, type LocalDate } from "../../src/domain/cpr.js";
import { municipalitySchema, type Municipality } from "../../src/domain/municipality.js";
import {
  ageTurnedOn,
  birthdayKeysOn,
  notifyTargetGroupChanges,
  targetGroupChangesOn,
  type TargetGroupCandidate,
} from "../../src/domain/target-group-change.js";
import { DEFAULT_TIME_ZONE } from "../../src/domain/time.js";
import { CASEWORKER, fakeCpr, newCase, SOCIAL_CASEWORKER, testMunicipality } from "../support/fixtures.js";
import { InMemoryCaseRepository, InMemoryOutbox, ManualClock } from "../support/in-memory/index.js";
import { citizenSource, InMemoryCitizenRepository } from "../support/in-memory/citizen-repository.js";

const ZONE = DEFAULT_TIME_ZONE;
/** 09:00 in Copenhagen on a local date, after the job's notice hour. */
const morningOf = (date: LocalDate, hour = 9) => DateTime.fromObject({ ...date, hour }, { zone: ZONE }).toJSDate();
const d = (iso: string): LocalDate => {
  const [year, month, day] = iso.split("-").map(Number) as [number, number, number];
  return { year, month, day };
};

describe("whose birthday it is", () => {
  it("reads the day's own birthday partition", () => {
    expect(birthdayKeysOn(d("2026-11-23"))).toEqual(["1123"]);
    expect(birthdayKeysOn(d("2026-02-28"))).toEqual(["0228"]);
  });

  it("reads 29 February's on 1 March of a non-leap year, as ageOn counts the birthday then", () => {
    expect(birthdayKeysOn(d("2026-03-01"))).toEqual(["0301", "0229"]);
    expect(birthdayKeysOn(d("2028-03-01"))).toEqual(["0301"]);
    expect(birthdayKeysOn(d("2028-02-29"))).toEqual(["0229"]);
    expect(birthdayKeysOn(d("2100-03-01"))).toEqual(["0301", "0229"]);
  });

  it("tells the age turned on the birthday only", () => {
    const born = d("2008-05-17");
    expect(ageTurnedOn(born, d("2026-05-17"))).toBe(18);
    expect(ageTurnedOn(born, d("2026-05-16"))).toBeUndefined();
    expect(ageTurnedOn(born, d("2026-05-18"))).toBeUndefined();
  });

  it("has a citizen born 29 February turn older on 1 March in a non-leap year, and on 29 February in a leap year", () => {
    const born = d("2008-02-29");
    expect(ageOn(born, d("2026-02-28"))).toBe(17);
    expect(ageTurnedOn(born, d("2026-02-28"))).toBeUndefined();
    expect(ageTurnedOn(born, d("2026-03-01"))).toBe(18);
    expect(ageTurnedOn(born, d("2028-02-29"))).toBe(20);
    expect(ageTurnedOn(born, d("2028-03-01"))).toBeUndefined();
  });

  const birthDates = fc
    .date({ min: new Date("1950-01-01T00:00:00Z"), max: new Date("2010-12-31T00:00:00Z"), noInvalidDate: true })
    .map((t) => ({ year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() }));

  test.prop([birthDates], { numRuns: 50 })(
    "over the years around them, every citizen turns each configured age on exactly one day, read from its partition",
    (born) => {
      const turned = new Map<number, string[]>();
      const DAY_MS = 86_400_000;
      const end = Date.UTC(born.year + 31, 11, 31);
      const birthdayKey = `${String(born.month).padStart(2, "0")}${String(born.day).padStart(2, "0")}`;
      const unread: string[] = [];
      for (let t = Date.UTC(born.year + 17, 0, 1); t <= end; t += DAY_MS) {
        const day = new Date(t);
        const date = { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() };
        const age = ageTurnedOn(born, date);
        if (age === undefined) continue;
        const iso = day.toISOString().slice(0, 10);
        // The day it happens is a day whose partitions hold this citizen.
        if (!birthdayKeysOn(date).includes(birthdayKey)) unread.push(iso);
        turned.set(age, [...(turned.get(age) ?? []), iso]);
      }
      expect(unread).toEqual([]);
      for (const age of [18, 30]) expect(turned.get(age)).toHaveLength(1);
    },
  );
});

describe("who is told of a målgruppeskift", () => {
  const municipality = testMunicipality("t-tg-pure");
  const born = d("2008-11-23");
  const today = d("2026-11-23");
  const caseOf = (caseNo: number, state: CaseRecord["state"], raisedBy: string, socialCaseworker?: string) => ({
    caseNo,
    state,
    raisedBy,
    socialCaseworker,
  });
  const candidate = (cases: TargetGroupCandidate["cases"]): TargetGroupCandidate => ({ citizenId: "c1", birthDate: born, cases });

  it("tells the raising caseworker of an open case, and both caseworkers of a visitated one, each once", () => {
    const changes = targetGroupChangesOn(municipality, today, [
      candidate([caseOf(1, "booked", "emp-a"), caseOf(2, "visitated", "emp-a", "soc-b"), caseOf(3, "acute", "emp-c")]),
    ]);
    expect(changes).toEqual([
      {
        citizenId: "c1",
        age: 18,
        date: "2026-11-23",
        recipients: [
          { aadObjectId: "emp-a", audience: "caseworker", caseNos: [1, 2] },
          { aadObjectId: "emp-c", audience: "caseworker", caseNos: [3] },
          { aadObjectId: "soc-b", audience: "social-caseworker", caseNos: [2] },
        ],
      },
    ]);
  });

  it("tells nobody of a closed case, an age not configured, or a day that is not the birthday", () => {
    expect(targetGroupChangesOn(municipality, today, [candidate([caseOf(1, "closed", "emp-a")])])).toEqual([]);
    expect(targetGroupChangesOn(municipality, d("2025-11-23"), [candidate([caseOf(1, "booked", "emp-a")])])).toEqual([]);
    expect(targetGroupChangesOn(municipality, d("2026-11-24"), [candidate([caseOf(1, "booked", "emp-a")])])).toEqual([]);
  });

  it("covers every case in play: booked, acute, awaiting information and visitated", () => {
    const states = ["booked", "acute", "awaiting-information", "visitated", "closed"] as const;
    const changes = targetGroupChangesOn(municipality, today, [candidate(states.map((s, i) => caseOf(i + 1, s, `emp-${i + 1}`)))]);
    expect(changes[0]?.recipients.map((r) => r.caseNos[0])).toEqual([1, 2, 3, 4]);
  });
});

describe("the målgruppeskift job", () => {
  function setup(municipality: Municipality = testMunicipality()) {
    const outbox = new InMemoryOutbox();
    const cases = new InMemoryCaseRepository(outbox);
    const citizens = new InMemoryCitizenRepository(outbox);
    const clock = new ManualClock(new Date());
    return { municipality, outbox, cases, citizens, clock, deps: { citizens, cases, clock, timeZone: ZONE } };
  }
  type Setup = ReturnType<typeof setup>;

  /** An acute case about the citizen, raised by {@link CASEWORKER} and linked to the citizen. */
  async function caseAbout(s: Setup, born: LocalDate, visitatedTo?: string): Promise<{ cprDigits: string; record: CaseRecord }> {
    const cprDigits = fakeCpr(born).replace("-", "");
    const { record } = await s.cases.raise(
      randomUUID(),
      newCase(s.municipality.tenantId, { cprDigits }),
      async () => ({ state: "acute" }),
      () => [],
    );
    await s.citizens.linkCase(s.municipality.tenantId, cprDigits, record.caseNo, record.raisedBy);
    if (!visitatedTo) return { cprDigits, record };
    const changed = await s.cases.change(
      s.municipality.tenantId,
      record.caseNo,
      record.version,
      { state: "visitated", socialCaseworker: visitatedTo },
      {
        at: "2026-01-01T00:00:00.000Z",
        user: "test",
        action: "decide",
        purpose: "start",
      },
    );
    return { cprDigits, record: changed! };
  }

  const targetGroupMessages = (s: Setup) =>
    s.outbox.messages(s.municipality.tenantId).filter((m) => m.content.kind === "target-group-change");

  it("on the birthday tells the caseworker and the social caseworker once, however often it runs", async () => {
    const s = setup();
    const { cprDigits, record } = await caseAbout(s, d("2008-11-23"), SOCIAL_CASEWORKER.aadObjectId);
    s.clock.set(morningOf(d("2026-11-22")));
    expect(await notifyTargetGroupChanges(s.deps, s.municipality)).toBe(0);
    s.clock.set(morningOf(d("2026-11-23"), 7));
    expect(await notifyTargetGroupChanges(s.deps, s.municipality)).toBe(0);
    s.clock.set(morningOf(d("2026-11-23")));
    expect(await notifyTargetGroupChanges(s.deps, s.municipality)).toBe(2);
    expect(await notifyTargetGroupChanges(s.deps, s.municipality)).toBe(0);
    s.clock.set(morningOf(d("2026-11-26")));
    expect(await notifyTargetGroupChanges(s.deps, s.municipality)).toBe(0);

    const citizenId = s.citizens.citizenIdOf(cprDigits);
    expect(s.outbox.messagesOf(citizenSource(s.municipality.tenantId, citizenId)).map((m) => [m.target, m.content])).toEqual(
      expect.arrayContaining([
        [
          { kind: "personal", aadObjectId: CASEWORKER.aadObjectId },
          { kind: "target-group-change", caseNos: [record.caseNo], age: 18, date: "2026-11-23", audience: "caseworker" },
        ],
        [
          { kind: "personal", aadObjectId: SOCIAL_CASEWORKER.aadObjectId },
          { kind: "target-group-change", caseNos: [record.caseNo], age: 18, date: "2026-11-23", audience: "social-caseworker" },
        ],
      ]),
    );
    expect(targetGroupMessages(s)).toHaveLength(2);
  });

  it("catches up on a birthday missed while it was down", async () => {
    const s = setup();
    await caseAbout(s, d("1996-11-20"));
    s.clock.set(morningOf(d("2026-11-23")));
    expect(await notifyTargetGroupChanges(s.deps, s.municipality)).toBe(1);
    expect(targetGroupMessages(s)[0]?.content).toMatchObject({ age: 30, date: "2026-11-20" });
  });

  it("tells of a citizen born 29 February on 1 March of a non-leap year", async () => {
    const s = setup();
    await caseAbout(s, d("2008-02-29"));
    s.clock.set(morningOf(d("2026-02-28")));
    expect(await notifyTargetGroupChanges(s.deps, s.municipality)).toBe(0);
    s.clock.set(morningOf(d("2026-03-01")));
    expect(await notifyTargetGroupChanges(s.deps, s.municipality)).toBe(1);
    expect(targetGroupMessages(s)[0]?.content).toMatchObject({ age: 18, date: "2026-03-01" });
  });

  it("tells of a citizen born 29 February on 29 February of a leap year", async () => {
    const s = setup(municipalitySchema.parse({ ...testMunicipality(), targetGroupAges: [28] }));
    await caseAbout(s, d("2000-02-29"));
    s.clock.set(morningOf(d("2028-02-29")));
    expect(await notifyTargetGroupChanges(s.deps, s.municipality)).toBe(1);
    s.clock.set(morningOf(d("2028-03-01")));
    expect(await notifyTargetGroupChanges(s.deps, s.municipality)).toBe(0);
    expect(targetGroupMessages(s)).toHaveLength(1);
  });

  it("tells nothing when the citizen's case is closed", async () => {
    const s = setup();
    const { record } = await caseAbout(s, d("2008-11-23"));
    await s.cases.change(
      s.municipality.tenantId,
      record.caseNo,
      record.version,
      { state: "closed" },
      { at: "x", user: "t", action: "decide", purpose: "no-basis" },
    );
    s.clock.set(morningOf(d("2026-11-23")));
    expect(await notifyTargetGroupChanges(s.deps, s.municipality)).toBe(0);
  });

  it("sends each message once when two instances run at the same moment", async () => {
    const s = setup();
    await caseAbout(s, d("2008-11-23"), SOCIAL_CASEWORKER.aadObjectId);
    s.clock.set(morningOf(d("2026-11-23")));
    const [a, b] = await Promise.all([notifyTargetGroupChanges(s.deps, s.municipality), notifyTargetGroupChanges(s.deps, s.municipality)]);
    expect(a + b).toBe(2);
    expect(targetGroupMessages(s)).toHaveLength(2);
  });

  const birthDates = fc
    .date({ min: new Date("1960-01-01T00:00:00Z"), max: new Date("2008-12-31T00:00:00Z"), noInvalidDate: true })
    .map((t) => ({ year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() }));

  test.prop([birthDates], { numRuns: 40 })(
    "run every day around the birthdays, it tells each caseworker exactly once per configured age",
    async (born) => {
      const s = setup();
      await caseAbout(s, born, SOCIAL_CASEWORKER.aadObjectId);
      for (const age of s.municipality.targetGroupAges) {
        const birthday = DateTime.fromObject({ year: born.year + age, month: born.month, day: Math.min(born.day, 28) }, { zone: "UTC" });
        for (let day = birthday.minus({ days: 3 }); day <= birthday.plus({ days: 12 }); day = day.plus({ days: 1 })) {
          s.clock.set(morningOf({ year: day.year, month: day.month, day: day.day }, 6 + (day.day % 12)));
          await notifyTargetGroupChanges(s.deps, s.municipality);
        }
      }
      const told = targetGroupMessages(s).map((m) => {
        if (m.content.kind !== "target-group-change" || m.target.kind !== "personal") throw new Error("unexpected message");
        return `${m.content.age}:${m.target.aadObjectId}`;
      });
      expect(told.sort()).toEqual(
        [
          `18:${CASEWORKER.aadObjectId}`,
          `18:${SOCIAL_CASEWORKER.aadObjectId}`,
          `30:${CASEWORKER.aadObjectId}`,
          `30:${SOCIAL_CASEWORKER.aadObjectId}`,
        ].sort(),
      );
    },
  );
});
