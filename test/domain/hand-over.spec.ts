import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import type { CaseRecord } from "../../src/domain/case.js";
import { decideCase } from "../../src/domain/decide-case.js";
import { handOverCase } from "../../src/domain/hand-over.js";
import { municipalitySchema, type Municipality } from "../../src/domain/municipality.js";
import { raiseCase } from "../../src/domain/raise-case.js";
import { ADMINISTRATOR, CASEWORKER, COORDINATOR, OUTSIDER, SOCIAL_CASEWORKER, testMunicipality, validDraft } from "../support/fixtures.js";
import { inMemoryPorts, MONDAY_MORNING, type InMemoryPorts } from "../support/in-memory/index.js";
import { InMemoryCitizenRepository } from "../support/in-memory/citizen-repository.js";
import { ADULT_CPR } from "../support/scenarios.js";

const NEW_CASEWORKER = { aadObjectId: "aaaaaaaa-1111-4000-8000-000000000031", name: "Ny Sagsbehandler" };

let ports: InMemoryPorts;
let citizens: InMemoryCitizenRepository;
let municipality: Municipality;
let record: CaseRecord;

beforeEach(async () => {
  ports = inMemoryPorts({ now: MONDAY_MORNING });
  citizens = new InMemoryCitizenRepository(ports.outbox);
  const base = testMunicipality();
  municipality = municipalitySchema.parse({
    ...base,
    roles: { ...base.roles, caseworkers: [CASEWORKER.aadObjectId, NEW_CASEWORKER.aadObjectId] },
  });
  const raised = await raiseCase(
    { ...ports, citizens },
    { municipality, submissionId: randomUUID(), user: CASEWORKER, draft: validDraft({ cpr: ADULT_CPR }) },
  );
  if (raised.kind !== "raised") throw new Error(raised.kind);
  record = raised.record;
});

const deps = () => ({ ...ports, citizens });
const handOver = (
  options: { from?: { aadObjectId: string; name: string }; to?: { aadObjectId: string; name: string }; expectedVersion?: number } = {},
) =>
  handOverCase(deps(), {
    municipality,
    caseNo: record.caseNo,
    expectedVersion: options.expectedVersion ?? record.version,
    from: options.from ?? CASEWORKER,
    to: options.to ?? NEW_CASEWORKER,
  });
const citizenLinks = () => citizens.links(municipality.tenantId, citizens.citizenIdOf(ADULT_CPR));
const messagesAfter = (count: number) =>
  ports.outbox
    .messages(municipality.tenantId)
    .slice(count)
    .map((m) => [m.target, m.content]);

describe("handing a case to another caseworker (sagsbehandlerskift)", () => {
  it("links a raised case to its citizen, so bostøtte decisions reach its caseworker", async () => {
    expect((await citizenLinks())?.cases).toEqual([{ caseNo: record.caseNo, raisedBy: CASEWORKER.aadObjectId }]);
  });

  it("makes the new caseworker the case's caseworker and tells them and the channel card, once", async () => {
    const before = ports.outbox.messages(municipality.tenantId).length;
    const outcome = await handOver();
    expect(outcome).toMatchObject({
      kind: "handed-over",
      record: { raisedBy: NEW_CASEWORKER.aadObjectId, raisedByName: NEW_CASEWORKER.name, version: record.version + 1 },
    });
    expect(messagesAfter(before)).toEqual([
      [
        { kind: "forum-channel", forumId: record.forumId },
        { kind: "case-card", caseNo: record.caseNo, mode: "update" },
      ],
      [
        { kind: "personal", aadObjectId: NEW_CASEWORKER.aadObjectId },
        { kind: "caseworker-change", caseNo: record.caseNo, version: record.version + 1, audience: "new-caseworker" },
      ],
    ]);
    expect((await citizenLinks())?.cases).toEqual([{ caseNo: record.caseNo, raisedBy: NEW_CASEWORKER.aadObjectId }]);
    expect(ports.cases.auditOf(municipality.tenantId, record.caseNo).at(-1)).toMatchObject({
      action: "hand-over",
      user: CASEWORKER.aadObjectId,
    });
  });

  it("tells the social caseworker of a visitated case as well", async () => {
    ports.clock.set(new Date("2026-11-25T13:05:00Z"));
    const decided = await decideCase(ports, {
      municipality,
      caseNo: record.caseNo,
      expectedVersion: record.version,
      input: { decision: "start", socialCaseworker: SOCIAL_CASEWORKER.aadObjectId, note: "" },
      by: COORDINATOR,
    });
    if (decided.kind !== "decided") throw new Error(decided.kind);
    record = decided.record;
    const before = ports.outbox.messages(municipality.tenantId).length;
    expect((await handOver()).kind).toBe("handed-over");
    expect(messagesAfter(before).map(([target]) => target)).toEqual([
      { kind: "forum-channel", forumId: record.forumId },
      { kind: "personal", aadObjectId: NEW_CASEWORKER.aadObjectId },
      { kind: "personal", aadObjectId: SOCIAL_CASEWORKER.aadObjectId },
    ]);
  });

  it("lets an administrator hand it over, and then tells the previous caseworker too", async () => {
    const before = ports.outbox.messages(municipality.tenantId).length;
    expect((await handOver({ from: ADMINISTRATOR })).kind).toBe("handed-over");
    expect(messagesAfter(before).map(([, content]) => content)).toContainEqual({
      kind: "caseworker-change",
      caseNo: record.caseNo,
      version: record.version + 1,
      audience: "previous-caseworker",
    });
  });

  it("refuses anyone else, audited, and changes nothing", async () => {
    expect(await handOver({ from: OUTSIDER })).toEqual({ kind: "not-allowed" });
    // Another employment caseworker cannot take a case for themselves.
    expect(await handOver({ from: NEW_CASEWORKER })).toEqual({ kind: "not-allowed" });
    expect((await ports.cases.get(municipality.tenantId, record.caseNo))?.raisedBy).toBe(CASEWORKER.aadObjectId);
    expect(
      ports.cases
        .auditOf(municipality.tenantId, record.caseNo)
        .slice(-2)
        .map((a) => [a.action, a.user]),
    ).toEqual([
      ["hand-over-refused", OUTSIDER.aadObjectId],
      ["hand-over-refused", NEW_CASEWORKER.aadObjectId],
    ]);
  });

  it("hands over only to an employment caseworker", async () => {
    expect(await handOver({ to: SOCIAL_CASEWORKER })).toMatchObject({ kind: "not-caseworker" });
  });

  it("refuses a stale card, and answers a repeated hand-over without telling anyone twice", async () => {
    expect(await handOver({ expectedVersion: record.version + 5 })).toMatchObject({ kind: "stale" });
    await handOver();
    const count = ports.outbox.messages(municipality.tenantId).length;
    expect(await handOver()).toEqual({
      kind: "already-handed-over",
      caseNo: record.caseNo,
      reference: record.reference,
      raisedByName: NEW_CASEWORKER.name,
    });
    expect(ports.outbox.messages(municipality.tenantId)).toHaveLength(count);
  });

  it("refuses to hand over a closed case", async () => {
    ports.clock.set(new Date("2026-11-25T13:05:00Z"));
    const decided = await decideCase(ports, {
      municipality,
      caseNo: record.caseNo,
      expectedVersion: record.version,
      input: { decision: "no-basis", socialCaseworker: "", note: "Ingen grund" },
      by: COORDINATOR,
    });
    if (decided.kind !== "decided") throw new Error(decided.kind);
    expect(await handOver({ expectedVersion: decided.record.version })).toMatchObject({ kind: "closed" });
  });
});
