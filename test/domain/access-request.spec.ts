import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { answerAccessRequest } from "../../src/domain/access-request.js";
import { viewCaseDetails } from "../../src/domain/case-details.js";
import { follow } from "../../src/domain/following.js";
import { ADMINISTRATOR, CASEWORKER, COORDINATOR, fakeCprForAge, testMunicipality } from "../support/fixtures.js";
import { MONDAY_MORNING } from "../support/in-memory/index.js";
import { newCase } from "../support/in-memory/plan-ports.js";
import { inMemoryPrivacyPorts, type InMemoryPrivacyPorts } from "../support/in-memory/privacy-store.js";

const municipality = testMunicipality();
const tenantId = municipality.tenantId;
const CPR = fakeCprForAge(40, MONDAY_MORNING);
const OTHER_CPR = fakeCprForAge(52, MONDAY_MORNING);

async function caseAbout(ports: InMemoryPrivacyPorts, cpr: string): Promise<number> {
  const { record } = await ports.cases.raise(
    randomUUID(),
    newCase(tenantId, 40, { cprDigits: cpr.replace("-", "") }),
    async () => ({ state: "acute" }),
    () => [],
  );
  await ports.citizens.linkCase(tenantId, record.cprDigits, record.caseNo, record.raisedBy);
  return record.caseNo;
}

async function setup() {
  const ports = inMemoryPrivacyPorts({ now: MONDAY_MORNING });
  const first = await caseAbout(ports, CPR);
  const second = await caseAbout(ports, CPR);
  const others = await caseAbout(ports, OTHER_CPR);
  for (const caseNo of [first, second, others]) {
    ports.clock.advance(60_000);
    await viewCaseDetails(ports, { municipality, caseNo, user: COORDINATOR.aadObjectId });
  }
  ports.clock.advance(60_000);
  await follow(ports, { municipality, cpr: CPR, purpose: "andet", user: CASEWORKER.aadObjectId });
  await follow(ports, { municipality, cpr: OTHER_CPR, purpose: "andet", user: CASEWORKER.aadObjectId });
  ports.clock.advance(60_000);
  return { ports, first, second, others };
}

describe("a citizen's access request (GDPR art. 15, SPEC §9)", () => {
  it("lists every logged access to that citizen's data — beside each of their cases and beside the citizen — and nothing of others", async () => {
    const { ports, first, second } = await setup();
    const outcome = await answerAccessRequest(ports, { municipality, user: ADMINISTRATOR.aadObjectId, typed: ` ${CPR} ` });
    if (outcome.kind !== "report") throw new Error(outcome.kind);
    expect(outcome.cprDigits).toBe(CPR.replace("-", ""));
    expect(outcome.caseNos).toEqual([first, second]);
    expect(outcome.auditMonths).toBe(6);
    expect(outcome.entries.map((e) => [e.caseNo, e.action, e.user])).toEqual([
      [first, "raise", CASEWORKER.aadObjectId],
      [second, "raise", CASEWORKER.aadObjectId],
      [first, "view-details", COORDINATOR.aadObjectId],
      [second, "view-details", COORDINATOR.aadObjectId],
      [undefined, "follow", CASEWORKER.aadObjectId],
      [undefined, "access-request", ADMINISTRATOR.aadObjectId],
    ]);
    expect(outcome.entries[2]).toMatchObject({ purpose: "sparring", at: new Date(MONDAY_MORNING.getTime() + 60_000).toISOString() });
  });

  it("audits the request beside the citizen", async () => {
    const { ports } = await setup();
    await answerAccessRequest(ports, { municipality, user: ADMINISTRATOR.aadObjectId, typed: CPR });
    expect(ports.citizens.auditOf(tenantId, ports.citizens.citizenIdOf(CPR)).at(-1)).toMatchObject({
      user: ADMINISTRATOR.aadObjectId,
      action: "access-request",
    });
  });

  it("answers for a citizen Sparring holds nothing about with the request alone", async () => {
    const ports = inMemoryPrivacyPorts({ now: MONDAY_MORNING });
    const outcome = await answerAccessRequest(ports, {
      municipality,
      user: ADMINISTRATOR.aadObjectId,
      typed: fakeCprForAge(33, MONDAY_MORNING),
    });
    expect(outcome).toMatchObject({ kind: "report", caseNos: [], entries: [{ action: "access-request" }] });
  });

  it("refuses anyone but an administrator, looks nothing up, and audits the attempt", async () => {
    const { ports } = await setup();
    expect(await answerAccessRequest(ports, { municipality, user: COORDINATOR.aadObjectId, typed: CPR })).toEqual({
      kind: "not-administrator",
    });
    expect(ports.citizens.auditOf(tenantId, ports.citizens.citizenIdOf(CPR)).at(-1)).toMatchObject({
      user: COORDINATOR.aadObjectId,
      action: "access-request-refused",
    });
  });

  it("says what is wrong with a CPR number that is missing, malformed or no date", async () => {
    const { ports } = await setup();
    const ask = (typed: string) => answerAccessRequest(ports, { municipality, user: ADMINISTRATOR.aadObjectId, typed });
    expect(await ask("")).toEqual({ kind: "invalid-cpr", error: "required" });
    expect(await ask("12345")).toEqual({ kind: "invalid-cpr", error: "cpr.format" });
    expect(await ask("310290-1234")).toEqual({ kind: "invalid-cpr", error: "cpr.date" });
  });
});
