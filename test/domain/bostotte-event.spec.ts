import { describe, expect, it } from "vitest";
import { bostotteEventJsonSchema, parseBostotteEvent, receiveBostotteEvent } from "../../src/domain/bostotte-event.js";
import { DEFAULT_TIME_ZONE } from "../../src/domain/time.js";
import { InMemoryOutbox, ManualClock } from "../support/in-memory/index.js";
import { InMemoryCitizenRepository } from "../support/in-memory/citizen-repository.js";
import { fakeCprForAge, testMunicipality } from "../support/fixtures.js";

const NOW = new Date("2026-11-23T10:00:00Z");
const TODAY = { year: 2026, month: 11, day: 23 };
const municipality = testMunicipality("t-event");
const CPR = fakeCprForAge(40, NOW);

const grant = (overrides: Record<string, unknown> = {}) => ({
  version: "1",
  eventId: "sag-2026-0042:1",
  kind: "grant",
  cpr: CPR,
  legalBasis: "sel-85",
  hours: { amount: 7.5, per: "week" },
  period: { from: "2026-12-01", to: "2027-05-31" },
  purpose: "Støtte til at fastholde bolig",
  decidedAt: "2026-11-20T09:30:00+01:00",
  decidedBy: "Sara Socialrådgiver",
  ...overrides,
});

const errorsOf = (body: unknown) => {
  const result = parseBostotteEvent(body, municipality, TODAY);
  return result.ok ? [] : result.errors.map((e) => `${e.path}:${e.code}`);
};

describe("the bostøtte event contract, version 1", () => {
  it("maps a grant onto the domain's decision", () => {
    const result = parseBostotteEvent(grant(), municipality, TODAY);
    expect(result).toMatchObject({
      ok: true,
      decision: { kind: "bevilling", legalBasis: "sel-85", frame: { hours: 7.5, per: "week", from: "2026-12-01", to: "2027-05-31" } },
    });
  });

  it("maps a refusal and a termination", () => {
    const refusal = {
      version: "1",
      eventId: "e-2",
      kind: "refusal",
      cpr: CPR,
      legalBasis: "sel-85a",
      reasonCategory: "andet",
      decidedAt: "2026-11-20T09:30:00Z",
    };
    expect(parseBostotteEvent(refusal, municipality, TODAY)).toMatchObject({
      ok: true,
      decision: { kind: "afslag", reasonCategory: "andet" },
    });
    const termination = { ...refusal, kind: "termination", reasonCategory: "flyttet", endDate: "2026-12-31" };
    expect(parseBostotteEvent(termination, municipality, TODAY)).toMatchObject({
      ok: true,
      decision: { kind: "ophoer", endDate: "2026-12-31" },
    });
  });

  it("reports the domain's rules with the JSON path, a stable code and an English message", () => {
    const result = parseBostotteEvent(
      grant({ hours: { amount: 0, per: "week" }, period: { from: "2026-12-01", to: "2026-11-01" } }),
      municipality,
      TODAY,
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        { path: "hours.amount", code: "hours.not-positive", message: "must be more than 0" },
        { path: "period.to", code: "date.before-from", message: "must not be before period.from" },
      ],
    });
  });

  it("refuses absurd hours, a missing end of period, a bad CPR and a missing end date", () => {
    expect(errorsOf(grant({ hours: { amount: 61, per: "week" } }))).toEqual(["hours.amount:hours.too-many"]);
    expect(errorsOf(grant({ period: { from: "2026-12-01" } }))).toEqual(["period:period.end-required"]);
    expect(errorsOf(grant({ cpr: "12345" }))).toEqual(["cpr:cpr.format"]);
    expect(errorsOf(grant({ kind: "termination", reasonCategory: "flyttet" }))).toEqual(["endDate:required"]);
  });

  it("reports a missing grant frame once, as the object", () => {
    expect(errorsOf(grant({ hours: undefined, period: undefined }))).toEqual(["hours:required", "period:required"]);
  });

  it("refuses a wrong shape field by field: types, enums, version, unknown fields, event id and dates", () => {
    expect(errorsOf({})).toEqual(
      expect.arrayContaining([
        "version:required",
        "eventId:required",
        "kind:required",
        "cpr:required",
        "legalBasis:required",
        "decidedAt:required",
      ]),
    );
    expect(errorsOf(grant({ version: "2" }))).toEqual(["version:version.unsupported"]);
    expect(errorsOf(grant({ kind: "bevilling" }))).toEqual(["kind:kind.unknown"]);
    expect(errorsOf(grant({ legalBasis: "sel-107" }))).toEqual(["legalBasis:legal-basis.unknown"]);
    expect(errorsOf(grant({ hours: { amount: "5", per: "day" } }))).toEqual(["hours.amount:type", "hours.per:hours-per.unknown"]);
    expect(errorsOf(grant({ eventId: "a/b" }))).toEqual(["eventId:event-id.format"]);
    expect(errorsOf(grant({ period: { from: "1/12/2026", to: "2027-05-31" } }))).toEqual(["period.from:date.invalid"]);
    expect(errorsOf(grant({ decidedAt: "i går" }))).toEqual(["decidedAt:datetime.invalid"]);
    expect(errorsOf(grant({ reason: "x", extra: 1 }))).toEqual(["reason:field.unknown", "extra:field.unknown"]);
    expect(errorsOf(null)).toEqual(["(body):type"]);
  });

  it("publishes a JSON Schema generated from the same schema", () => {
    const schema = bostotteEventJsonSchema() as {
      $schema: string;
      title: string;
      type: string;
      required: string[];
      additionalProperties: boolean;
      properties: Record<string, { enum?: string[]; pattern?: string; const?: string }>;
    };
    expect(schema.$schema).toContain("json-schema.org");
    expect(schema.title).toContain("version 1");
    expect(schema.type).toBe("object");
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(["version", "eventId", "kind", "cpr", "legalBasis", "decidedAt"]));
    expect(schema.properties["kind"]?.enum).toEqual(["grant", "refusal", "termination"]);
    expect(schema.properties["legalBasis"]?.enum).toEqual(["sel-85", "sel-85a"]);
    expect(schema.properties["eventId"]?.pattern).toBeDefined();
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});

describe("receiving a bostøtte event", () => {
  const setup = () => {
    const outbox = new InMemoryOutbox();
    return { outbox, deps: { citizens: new InMemoryCitizenRepository(outbox), clock: new ManualClock(NOW), timeZone: DEFAULT_TIME_ZONE } };
  };

  it("records it once, with the caller's decision time and name, and answers a repeat as a duplicate", async () => {
    const { deps, outbox } = setup();
    const first = await receiveBostotteEvent(deps, { municipality, callerAppId: "app-1", body: grant() });
    expect(first).toMatchObject({
      kind: "recorded",
      record: { source: "api", recordedBy: "app-1", decidedByName: "Sara Socialrådgiver", decidedAt: "2026-11-20T08:30:00.000Z" },
    });
    expect((await receiveBostotteEvent(deps, { municipality, callerAppId: "app-1", body: grant() })).kind).toBe("duplicate");
    expect((await receiveBostotteEvent(deps, { municipality, callerAppId: "app-1", body: grant({ purpose: "Noget andet" }) })).kind).toBe(
      "conflict",
    );
    expect(outbox.messages()).toHaveLength(1);
  });

  it("answers invalid content with its errors and stores nothing", async () => {
    const { deps, outbox } = setup();
    expect(
      await receiveBostotteEvent(deps, { municipality, callerAppId: "app-1", body: grant({ reasonCategory: "x", kind: "refusal" }) }),
    ).toEqual({
      kind: "invalid",
      errors: [
        { path: "reasonCategory", code: "reason.unknown", message: "is not one of the municipality's reason categories for this kind" },
      ],
    });
    expect(outbox.messages()).toHaveLength(0);
  });
});
