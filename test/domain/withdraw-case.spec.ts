import { beforeEach, describe, expect, it } from "vitest";
import { decideCase } from "../../src/domain/decide-case.js";
import type { Municipality } from "../../src/domain/municipality.js";
import { prepareWithdrawal, withdrawCase } from "../../src/domain/withdraw-case.js";
import { CASEWORKER, COORDINATOR, OUTSIDER, testMunicipality } from "../support/fixtures.js";
import { inMemoryPorts, MONDAY_MORNING, type InMemoryPorts } from "../support/in-memory/index.js";
import { raised } from "../support/scenarios.js";

let ports: InMemoryPorts;
let municipality: Municipality;

beforeEach(() => {
  ports = inMemoryPorts({ now: MONDAY_MORNING });
  municipality = testMunicipality();
});

const withdraw = (caseNo: number, expectedVersion: number, user = CASEWORKER.aadObjectId) =>
  withdrawCase(ports, { municipality, caseNo, expectedVersion, user });

describe("withdrawing a case (SPEC §3: a case that has not been decided)", () => {
  it("asks first, for the raising caseworker only, and changes nothing by asking", async () => {
    const { record } = await raised(ports, municipality);
    expect(await prepareWithdrawal(ports, { municipality, caseNo: record.caseNo, user: CASEWORKER.aadObjectId })).toMatchObject({
      kind: "confirm",
    });
    expect(await prepareWithdrawal(ports, { municipality, caseNo: record.caseNo, user: OUTSIDER.aadObjectId })).toEqual({
      kind: "not-allowed",
    });
    expect(await ports.cases.get(municipality.tenantId, record.caseNo)).toMatchObject({ state: "booked", version: record.version });
  });

  it("frees the slot, edits the channel card and audits it", async () => {
    const { record } = await raised(ports, municipality);
    const meeting = { forumId: "voksne", date: "2026-11-25" };
    expect(await ports.meetings.bookings(municipality.tenantId, meeting)).toEqual([{ slot: 0, caseNo: record.caseNo }]);
    const outcome = await withdraw(record.caseNo, record.version);
    expect(outcome).toMatchObject({ kind: "withdrawn", record: { state: "withdrawn", version: record.version + 1 } });
    expect(await ports.meetings.bookings(municipality.tenantId, meeting)).toEqual([]);
    const audit = ports.cases.auditOf(municipality.tenantId, record.caseNo).map((a) => `${a.action}:${a.user}`);
    expect(audit).toContain(`withdraw:${CASEWORKER.aadObjectId}`);
    const cardEdits = ports.outbox.messages().filter((m) => m.content.kind === "case-card" && m.content.mode === "update");
    expect(cardEdits).toHaveLength(1);
  });

  it("refuses someone else and audits the attempt; the case stays booked", async () => {
    const { record } = await raised(ports, municipality);
    expect(await withdraw(record.caseNo, record.version, OUTSIDER.aadObjectId)).toEqual({ kind: "not-allowed" });
    expect(ports.cases.auditOf(municipality.tenantId, record.caseNo).map((a) => a.action)).toContain("withdraw-refused");
    expect(await ports.cases.get(municipality.tenantId, record.caseNo)).toMatchObject({ state: "booked" });
  });

  it("cannot take back a case the forum has decided", async () => {
    const { record } = await raised(ports, municipality);
    const decided = await decideCase(ports, {
      municipality,
      caseNo: record.caseNo,
      expectedVersion: record.version,
      input: { decision: "no-basis", socialCaseworker: "", note: "Ikke nok grundlag" },
      by: COORDINATOR,
    });
    expect(decided.kind).toBe("decided");
    expect(await withdraw(record.caseNo, record.version + 1)).toMatchObject({ kind: "already-finished" });
  });

  it("refuses a stale confirmation, and a second press changes nothing", async () => {
    const { record } = await raised(ports, municipality, { acute: true, acuteReason: "Akut" });
    expect(await withdraw(record.caseNo, record.version + 5)).toMatchObject({ kind: "stale" });
    expect((await withdraw(record.caseNo, record.version)).kind).toBe("withdrawn");
    expect(await withdraw(record.caseNo, record.version)).toMatchObject({ kind: "already-finished" });
  });

  it("leaves nothing for the coordinators to decide afterwards", async () => {
    const { record } = await raised(ports, municipality);
    const outcome = await withdraw(record.caseNo, record.version);
    if (outcome.kind !== "withdrawn") throw new Error(outcome.kind);
    const decided = await decideCase(ports, {
      municipality,
      caseNo: record.caseNo,
      expectedVersion: outcome.record.version,
      input: { decision: "postpone", socialCaseworker: "", note: "" },
      by: COORDINATOR,
    });
    expect(decided).toMatchObject({ kind: "not-allowed-now", record: { state: "withdrawn" } });
  });
});
