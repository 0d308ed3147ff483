import { beforeEach, describe, expect, it } from "vitest";
import type { CaseRecord } from "../../src/domain/case.js";
import { caseOfCard, viewCaseDetails } from "../../src/domain/case-details.js";
import { decideCase } from "../../src/domain/decide-case.js";
import type { Municipality } from "../../src/domain/municipality.js";
import { CASEWORKER, COORDINATOR, OUTSIDER, SOCIAL_CASEWORKER, testMunicipality, YOUTH_COORDINATOR } from "../support/fixtures.js";
import { inMemoryPorts, MONDAY_MORNING, type InMemoryPorts } from "../support/in-memory/index.js";
import { ADULT_CPR, raised } from "../support/scenarios.js";

/** A case's audit rows after its first ("raise", written with the case; see case-repository contract). */
const afterRaise = (row: { action: string }) => row.action !== "raise";

let ports: InMemoryPorts;
let municipality: Municipality;
let record: CaseRecord;

beforeEach(async () => {
  ports = inMemoryPorts({ now: MONDAY_MORNING });
  municipality = testMunicipality();
  record = (await raised(ports, municipality)).record;
});

const view = (user: string, caseNo = record.caseNo) => viewCaseDetails(ports, { municipality, caseNo, user });

describe("viewing a case's details (SPEC §6)", () => {
  it("shows CPR, health and social text to a coordinator of the case's forum, and audits the view", async () => {
    expect(await view(COORDINATOR.aadObjectId)).toEqual({ kind: "shown", record });
    expect(record).toMatchObject({ cprDigits: ADULT_CPR.replace("-", ""), health: "Kroniske smerter", social: "Mistet bolig, gæld" });
    expect(ports.cases.auditOf(municipality.tenantId, record.caseNo).filter(afterRaise)).toEqual([
      { at: MONDAY_MORNING.toISOString(), user: COORDINATOR.aadObjectId, action: "view-details", purpose: "sparring" },
    ]);
  });

  it("shows them to the caseworker who raised the case", async () => {
    expect(await view(CASEWORKER.aadObjectId)).toMatchObject({ kind: "shown" });
  });

  it("shows them to the social caseworker the case was visitated to", async () => {
    ports.clock.set("2026-11-25T13:05:00Z");
    const decided = await decideCase(ports, {
      municipality,
      caseNo: record.caseNo,
      expectedVersion: record.version,
      input: { decision: "start", socialCaseworker: SOCIAL_CASEWORKER.aadObjectId, note: "" },
      by: COORDINATOR,
    });
    expect(decided.kind).toBe("decided");
    expect(await view(SOCIAL_CASEWORKER.aadObjectId)).toMatchObject({
      kind: "shown",
      record: { socialCaseworker: SOCIAL_CASEWORKER.aadObjectId },
    });
  });

  it("refuses a social caseworker the case was not visitated to", async () => {
    expect(await view(SOCIAL_CASEWORKER.aadObjectId)).toEqual({ kind: "refused" });
  });

  it("refuses an outsider and the coordinator of another forum, auditing each refusal", async () => {
    expect(await view(OUTSIDER.aadObjectId)).toEqual({ kind: "refused" });
    expect(await view(YOUTH_COORDINATOR.aadObjectId)).toEqual({ kind: "refused" });
    expect(await view("")).toEqual({ kind: "refused" });
    expect(
      ports.cases
        .auditOf(municipality.tenantId, record.caseNo)
        .filter(afterRaise)
        .map((row) => [row.user, row.action]),
    ).toEqual([
      [OUTSIDER.aadObjectId, "view-refused"],
      [YOUTH_COORDINATOR.aadObjectId, "view-refused"],
      ["", "view-refused"],
    ]);
  });

  it("knows no case it does not have", async () => {
    expect(await view(COORDINATOR.aadObjectId, 42)).toEqual({ kind: "unknown-case" });
  });
});

describe("the case behind a card", () => {
  it("finds the case without auditing, as the card shows nothing special", async () => {
    expect(await caseOfCard(ports, { municipality, caseNo: record.caseNo })).toEqual({ kind: "found", record });
    expect(await caseOfCard(ports, { municipality, caseNo: 42 })).toEqual({ kind: "unknown-case" });
    expect(ports.cases.auditOf(municipality.tenantId, record.caseNo).filter(afterRaise)).toEqual([]);
  });
});
