import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { CaseRecord } from "../../../src/domain/case.js";
import { notification, type Notification, type NotificationContent, type NotificationTarget } from "../../../src/domain/notification.js";
import type { AuditEntry, CaseRepository, Placement } from "../../../src/domain/ports.js";
import { CASEWORKER, COORDINATOR, newCase } from "../fixtures.js";

/** A case repository with two tenants nobody else uses, and a look at what it stored beside each case. */
export interface CaseRepositoryUnderTest {
  cases: CaseRepository;
  tenantId: string;
  otherTenantId: string;
  /** The case's audit rows, oldest first. */
  auditOf(caseNo: number): Promise<AuditEntry[]>;
  /** The messages committed beside the case, in any order. */
  messagesOf(caseNo: number): Promise<CommittedMessage[]>;
}

export interface CommittedMessage {
  id: string;
  dedupeKey: string;
  target: NotificationTarget;
  content: NotificationContent;
  state: "pending" | "sent" | "failed";
}

const NOW = new Date("2026-11-23T07:00:00Z");
const acute = async (): Promise<Placement> => ({ state: "acute" });
const noMessages = (): Notification[] => [];
const booked =
  (meetingKey: string, slot: number, forumId = "voksne", age = 36) =>
  async (): Promise<Placement> => ({ state: "booked", meetingKey, slot, forumId, age });
const cardMessage = (record: CaseRecord): Notification[] => [
  notification(
    record.tenantId,
    `case:${record.caseNo}:card`,
    { kind: "forum-channel", forumId: record.forumId },
    { kind: "case-card", caseNo: record.caseNo, mode: "post" },
    NOW,
  ),
];
const auditEntry = (at: string, action: AuditEntry["action"] = "decide"): AuditEntry => ({
  at,
  user: COORDINATOR.aadObjectId,
  action,
  purpose: "sparring",
});

/**
 * What every {@link CaseRepository} must do, whatever stores it (botbuilder runs one
 * storage suite against every `Storage` the same way).
 */
/** The audit row a raise commits with its case. */
const raiseEntry = (record: CaseRecord): AuditEntry => ({ at: record.raisedAt, user: record.raisedBy, action: "raise", purpose: "raise" });

export function caseRepositoryContract(name: string, make: () => Promise<CaseRepositoryUnderTest>): void {
  describe(`CaseRepository contract: ${name}`, () => {
    describe("raising a case", () => {
      it("numbers a tenant's cases 1, 2, 3 in the order they are raised", async () => {
        const { cases, tenantId } = await make();
        const numbers = [];
        for (let i = 0; i < 3; i++) numbers.push((await cases.raise(randomUUID(), newCase(tenantId), acute, noMessages)).record);
        expect(numbers.map((r) => [r.caseNo, r.reference])).toEqual([
          [1, "SP-0001"],
          [2, "SP-0002"],
          [3, "SP-0003"],
        ]);
      });

      it("stores a booked case with its placement and reads it back whole", async () => {
        const { cases, tenantId } = await make();
        const draft = newCase(tenantId, { forumId: "unge", age: 29 });
        const { record, created } = await cases.raise(randomUUID(), draft, booked("voksne:2026-11-25", 2, "voksne", 30), noMessages);
        const expected = {
          ...draft,
          caseNo: 1,
          reference: "SP-0001",
          state: "booked",
          meetingKey: "voksne:2026-11-25",
          slot: 2,
          forumId: "voksne",
          age: 30,
          postponements: 0,
          decisionNote: "",
          additionalInfo: "",
          version: 1,
        };
        expect(created).toBe(true);
        expect(record).toEqual(expected);
        expect(await cases.get(tenantId, 1)).toEqual(expected);
      });

      it("stores an acute case without a meeting", async () => {
        const { cases, tenantId } = await make();
        const { record } = await cases.raise(
          randomUUID(),
          newCase(tenantId, { acute: true, acuteReason: "Udsættelse i morgen" }),
          acute,
          noMessages,
        );
        const stored = await cases.get(tenantId, record.caseNo);
        expect(stored).toMatchObject({ state: "acute", acute: true, acuteReason: "Udsættelse i morgen" });
        expect([stored?.meetingKey, stored?.slot]).toEqual([undefined, undefined]);
      });

      it("stores a form once: the same submission again returns the first case, not created, and is not placed again", async () => {
        const harness = await make();
        const { cases, tenantId } = harness;
        const submission = randomUUID();
        let placements = 0;
        const place = async (): Promise<Placement> => {
          placements++;
          return { state: "booked", meetingKey: "voksne:2026-11-25", slot: 0, forumId: "voksne", age: 36 };
        };
        const first = await cases.raise(submission, newCase(tenantId), place, cardMessage);
        const again = await cases.raise(submission, newCase(tenantId, { question: "Et andet spørgsmål" }), place, cardMessage);
        expect(again).toEqual({ created: false, record: first.record });
        expect(placements).toBe(1);
        expect(await cases.listRaisedBy(tenantId, CASEWORKER.aadObjectId, 20)).toHaveLength(1);
        // Raising is audited once, with the case (SPEC §9), by the raising caseworker.
        expect(await harness.auditOf(first.record.caseNo)).toEqual([raiseEntry(first.record)]);
        expect((await harness.messagesOf(first.record.caseNo)).map((m) => m.dedupeKey)).toEqual([`case:${first.record.caseNo}:card`]);
      });

      it("reports a form as new when an earlier attempt claimed it but stored nothing (no free meeting then)", async () => {
        const { cases, tenantId } = await make();
        const submission = randomUUID();
        const full = async (): Promise<Placement> => {
          throw new Error("no free meeting");
        };
        await expect(cases.raise(submission, newCase(tenantId), full, cardMessage)).rejects.toThrow("no free meeting");
        const acute = async (): Promise<Placement> => ({ state: "acute" });
        const retried = await cases.raise(submission, newCase(tenantId), acute, cardMessage);
        expect(retried.created).toBe(true);
        expect(await cases.get(tenantId, retried.record.caseNo)).toMatchObject({ state: "acute" });
      });

      it("commits the messages built from the new case together with it", async () => {
        const harness = await make();
        let seen: CaseRecord | undefined;
        const { record } = await harness.cases.raise(randomUUID(), newCase(harness.tenantId), booked("voksne:2026-11-25", 0), (r) => {
          seen = r;
          return cardMessage(r);
        });
        expect(seen).toMatchObject({ caseNo: record.caseNo, version: 1, meetingKey: "voksne:2026-11-25" });
        expect(await harness.messagesOf(record.caseNo)).toEqual([
          {
            id: cardMessage(record)[0]!.id,
            dedupeKey: `case:${record.caseNo}:card`,
            target: { kind: "forum-channel", forumId: "voksne" },
            content: { kind: "case-card", caseNo: record.caseNo, mode: "post" },
            state: "pending",
          },
        ]);
      });

      it("keeps tenants apart: each municipality numbers from 1 and sees only its own cases", async () => {
        const { cases, tenantId, otherTenantId } = await make();
        await cases.raise(randomUUID(), newCase(tenantId), acute, noMessages);
        await cases.raise(randomUUID(), newCase(tenantId), acute, noMessages);
        const other = await cases.raise(randomUUID(), newCase(otherTenantId, { department: "Ungeindsatsen" }), acute, noMessages);
        expect(other.record.caseNo).toBe(1);
        expect(await cases.get(otherTenantId, 1)).toMatchObject({ tenantId: otherTenantId, department: "Ungeindsatsen" });
        expect(await cases.get(otherTenantId, 2)).toBeUndefined();
        expect(await cases.listRaisedBy(otherTenantId, CASEWORKER.aadObjectId, 20)).toHaveLength(1);
      });
    });

    describe("reading cases", () => {
      it("answers undefined for a case that does not exist", async () => {
        const { cases, tenantId } = await make();
        expect(await cases.get(tenantId, 404)).toBeUndefined();
      });

      it("lists a caseworker's own cases newest first, at most as many as asked, without their case text", async () => {
        const { cases, tenantId } = await make();
        for (let i = 0; i < 3; i++) await cases.raise(randomUUID(), newCase(tenantId), acute, noMessages);
        await cases.raise(randomUUID(), newCase(tenantId, { raisedBy: "someone-else" }), acute, noMessages);
        const mine = await cases.listRaisedBy(tenantId, CASEWORKER.aadObjectId, 20);
        expect(mine.map((c) => c.reference)).toEqual(["SP-0003", "SP-0002", "SP-0001"]);
        expect((await cases.listRaisedBy(tenantId, CASEWORKER.aadObjectId, 2)).map((c) => c.caseNo)).toEqual([3, 2]);
        expect(mine[0]).toMatchObject({ cprDigits: newCase(tenantId).cprDigits, raisedBy: CASEWORKER.aadObjectId, state: "acute" });
        for (const field of ["health", "social", "question", "acuteReason", "decisionNote", "additionalInfo"])
          expect(mine[0]).not.toHaveProperty(field);
        expect(await cases.listRaisedBy(tenantId, "nobody", 20)).toEqual([]);
      });

      it("gives agenda entries in the order asked, leaving unknown numbers out and no case text in", async () => {
        const { cases, tenantId } = await make();
        await cases.raise(randomUUID(), newCase(tenantId), booked("voksne:2026-11-25", 1), noMessages);
        await cases.raise(randomUUID(), newCase(tenantId, { department: "Ungeindsatsen" }), booked("voksne:2026-11-25", 0), noMessages);
        const entries = await cases.agendaEntries(tenantId, [2, 99, 1]);
        expect(entries).toEqual([
          {
            caseNo: 2,
            reference: "SP-0002",
            state: "booked",
            forumId: "voksne",
            department: "Ungeindsatsen",
            acute: false,
            meetingKey: "voksne:2026-11-25",
            slot: 0,
            decision: undefined,
          },
          {
            caseNo: 1,
            reference: "SP-0001",
            state: "booked",
            forumId: "voksne",
            department: "Jobcenter",
            acute: false,
            meetingKey: "voksne:2026-11-25",
            slot: 1,
            decision: undefined,
          },
        ]);
        expect(entries[0]).not.toHaveProperty("cprDigits");
        expect(await cases.agendaEntries(tenantId, [])).toEqual([]);
      });

      it("hands out copies: changing a record read does not change the stored case", async () => {
        const { cases, tenantId } = await make();
        const { record } = await cases.raise(randomUUID(), newCase(tenantId), acute, noMessages);
        record.state = "closed";
        const read = await cases.get(tenantId, 1);
        read!.question = "ændret";
        expect(await cases.get(tenantId, 1)).toMatchObject({ state: "acute", question: newCase(tenantId).question });
      });
    });

    describe("changing a case", () => {
      it("applies the change at the expected version, bumping it, with its audit row and messages", async () => {
        const harness = await make();
        const { cases, tenantId } = harness;
        const { record } = await cases.raise(randomUUID(), newCase(tenantId), booked("voksne:2026-11-25", 0), noMessages);
        let seen: CaseRecord | undefined;
        const changed = await cases.change(
          tenantId,
          record.caseNo,
          1,
          {
            state: "closed",
            decision: "no-basis",
            decidedBy: COORDINATOR.aadObjectId,
            decidedByName: COORDINATOR.name,
            decidedAt: "2026-11-25T13:05:00.000Z",
            decisionNote: "Ingen sociale problemer",
          },
          auditEntry("2026-11-25T13:05:00.000Z"),
          (next) => {
            seen = next;
            return [
              notification(
                tenantId,
                `case:1:v${next.version}:raiser`,
                { kind: "personal", aadObjectId: next.raisedBy },
                { kind: "decision", caseNo: 1, audience: "raiser" },
                NOW,
              ),
            ];
          },
        );
        const expected = {
          state: "closed",
          decision: "no-basis",
          decidedBy: COORDINATOR.aadObjectId,
          decisionNote: "Ingen sociale problemer",
          version: 2,
          meetingKey: "voksne:2026-11-25",
          health: record.health,
        };
        expect(changed).toMatchObject(expected);
        expect(seen).toMatchObject(expected);
        expect(await cases.get(tenantId, 1)).toEqual(changed);
        expect(await harness.auditOf(1)).toEqual([raiseEntry(record), auditEntry("2026-11-25T13:05:00.000Z")]);
        expect(await harness.messagesOf(1)).toEqual([
          expect.objectContaining({
            dedupeKey: "case:1:v2:raiser",
            target: { kind: "personal", aadObjectId: CASEWORKER.aadObjectId },
            state: "pending",
          }),
        ]);
      });

      it("changes nothing when the case is no longer at the expected version: no audit row, no messages", async () => {
        const harness = await make();
        const { cases, tenantId } = harness;
        const { record } = await cases.raise(randomUUID(), newCase(tenantId), booked("voksne:2026-11-25", 0), noMessages);
        const message = () => [
          notification(
            tenantId,
            "case:1:stale",
            { kind: "personal", aadObjectId: CASEWORKER.aadObjectId },
            { kind: "text", text: "x" },
            NOW,
          ),
        ];
        expect(await cases.change(tenantId, 1, 2, { state: "closed" }, auditEntry("2026-11-25T13:00:00.000Z"), message)).toBeUndefined();
        expect(await cases.get(tenantId, 1)).toMatchObject({ state: "booked", version: 1 });
        expect(await harness.auditOf(1)).toEqual([raiseEntry(record)]);
        expect(await harness.messagesOf(1)).toEqual([]);
      });

      it("lets only the first of two changes from the same version through (a double click)", async () => {
        const { cases, tenantId } = await make();
        await cases.raise(randomUUID(), newCase(tenantId), acute, noMessages);
        expect(await cases.change(tenantId, 1, 1, { postponements: 1 }, auditEntry("2026-11-25T13:00:00.000Z", "move"))).toMatchObject({
          version: 2,
        });
        expect(await cases.change(tenantId, 1, 1, { postponements: 5 }, auditEntry("2026-11-25T13:00:01.000Z", "move"))).toBeUndefined();
        expect(await cases.get(tenantId, 1)).toMatchObject({ postponements: 1, version: 2 });
      });

      it("answers undefined for a change to a case that does not exist", async () => {
        const { cases, tenantId } = await make();
        expect(await cases.change(tenantId, 7, 1, { state: "closed" }, auditEntry("2026-11-25T13:00:00.000Z"))).toBeUndefined();
        expect(await cases.get(tenantId, 7)).toBeUndefined();
      });

      it("leaves the case untouched when its messages cannot be built", async () => {
        const harness = await make();
        await harness.cases.raise(randomUUID(), newCase(harness.tenantId), acute, noMessages);
        const failing = () => {
          throw new Error("no messages");
        };
        await expect(
          harness.cases.change(harness.tenantId, 1, 1, { state: "closed" }, auditEntry("2026-11-25T13:00:00.000Z"), failing),
        ).rejects.toThrow("no messages");
        expect(await harness.cases.get(harness.tenantId, 1)).toMatchObject({ state: "acute", version: 1 });
        expect((await harness.auditOf(1)).map((row) => row.action)).toEqual(["raise"]);
      });

      it("refuses a change whose message was committed with the case before (the same event twice)", async () => {
        const harness = await make();
        const { cases, tenantId } = harness;
        await cases.raise(randomUUID(), newCase(tenantId), acute, noMessages);
        const same = () => [
          notification(
            tenantId,
            "case:1:the-event",
            { kind: "personal", aadObjectId: CASEWORKER.aadObjectId },
            { kind: "text", text: "x" },
            NOW,
          ),
        ];
        expect(
          await cases.change(tenantId, 1, 1, { postponements: 1 }, auditEntry("2026-11-25T13:00:00.000Z", "move"), same),
        ).toMatchObject({ version: 2 });
        expect(
          await cases.change(tenantId, 1, 2, { postponements: 2 }, auditEntry("2026-11-25T13:00:01.000Z", "move"), same),
        ).toBeUndefined();
        expect(await cases.get(tenantId, 1)).toMatchObject({ postponements: 1, version: 2 });
        expect(await harness.messagesOf(1)).toHaveLength(1);
      });

      it("keeps what the forum wrote and what the caseworker added", async () => {
        const { cases, tenantId } = await make();
        await cases.raise(randomUUID(), newCase(tenantId), acute, noMessages);
        await cases.change(
          tenantId,
          1,
          1,
          { state: "awaiting-information", decision: "more-information", decisionNote: "Lægeerklæring mangler" },
          auditEntry("2026-11-25T13:00:00.000Z"),
        );
        await cases.change(
          tenantId,
          1,
          2,
          { state: "booked", additionalInfo: "Lægeerklæring vedlagt" },
          auditEntry("2026-11-26T09:00:00.000Z", "add-information"),
        );
        expect(await cases.get(tenantId, 1)).toMatchObject({
          state: "booked",
          decisionNote: "Lægeerklæring mangler",
          additionalInfo: "Lægeerklæring vedlagt",
          version: 3,
        });
      });

      it("remembers the case's card in the channel without changing its version", async () => {
        const { cases, tenantId } = await make();
        await cases.raise(randomUUID(), newCase(tenantId), acute, noMessages);
        await cases.rememberChannelCard(tenantId, 1, "1732345678901");
        expect(await cases.get(tenantId, 1)).toMatchObject({ channelActivityId: "1732345678901", version: 1 });
      });
    });

    describe("auditing", () => {
      it("records who saw or changed what, when and why, oldest first", async () => {
        const harness = await make();
        await harness.cases.raise(randomUUID(), newCase(harness.tenantId), acute, noMessages);
        const seen: AuditEntry = {
          at: "2026-11-23T09:00:00.000Z",
          user: COORDINATOR.aadObjectId,
          action: "view-details",
          purpose: "sparring",
        };
        const refused: AuditEntry = { at: "2026-11-23T09:00:00.000Z", user: "outsider", action: "view-refused", purpose: "sparring" };
        const later: AuditEntry = {
          at: "2026-11-23T10:00:00.000Z",
          user: COORDINATOR.aadObjectId,
          action: "decide-refused",
          purpose: "stale card",
        };
        await harness.cases.audit(harness.tenantId, 1, seen);
        await harness.cases.audit(harness.tenantId, 1, later);
        await harness.cases.audit(harness.tenantId, 1, refused);
        const rows = (await harness.auditOf(1)).filter((row) => row.action !== "raise");
        expect(rows).toHaveLength(3);
        expect(rows.slice(0, 2)).toEqual(expect.arrayContaining([seen, refused]));
        expect(rows[2]).toEqual(later);
        expect(await harness.auditOf(2)).toEqual([]);
      });
    });
  });
}
