import { beforeEach, describe, expect, it } from "vitest";
import type { Municipality } from "../../src/domain/municipality.js";
import { myCases, MY_CASES_LIMIT } from "../../src/domain/my-cases.js";
import { CASEWORKER, newCase, testMunicipality } from "../support/fixtures.js";
import { inMemoryPorts, MONDAY_MORNING, type InMemoryPorts } from "../support/in-memory/index.js";
import { raised } from "../support/scenarios.js";

let ports: InMemoryPorts;
let municipality: Municipality;

beforeEach(() => {
  ports = inMemoryPorts({ now: MONDAY_MORNING });
  municipality = testMunicipality();
});

const mine = () => myCases(ports, { municipality, user: CASEWORKER.aadObjectId });

describe("'mine sager' (SPEC §3)", () => {
  it("lists the caseworker's own cases, newest first, without their case text", async () => {
    await raised(ports, municipality);
    await ports.cases.raise(
      "another-form",
      newCase(municipality.tenantId, { raisedBy: "another-caseworker" }),
      async () => ({ state: "acute" }),
      () => [],
    );
    await raised(ports, municipality, { acute: true, acuteReason: "Akut" });
    const { cases, limited } = await mine();
    expect(cases.map((c) => [c.reference, c.state, c.meetingKey])).toEqual([
      ["SP-0003", "acute", undefined],
      ["SP-0001", "booked", "voksne:2026-11-25"],
    ]);
    expect(limited).toBe(false);
    expect(cases[0]).not.toHaveProperty("health");
    expect(cases[0]).not.toHaveProperty("question");
  });

  it("lists nothing for a caseworker who raised nothing", async () => {
    expect(await mine()).toEqual({ cases: [], limited: false });
  });

  it(`shows the newest ${MY_CASES_LIMIT} and says the list is cut`, async () => {
    for (let i = 0; i < MY_CASES_LIMIT + 1; i++) await raised(ports, municipality, { acute: true, acuteReason: "Akut" });
    const { cases, limited } = await mine();
    expect(cases).toHaveLength(MY_CASES_LIMIT);
    expect([cases[0]!.caseNo, cases.at(-1)!.caseNo]).toEqual([MY_CASES_LIMIT + 1, 2]);
    expect(limited).toBe(true);
  });
});
