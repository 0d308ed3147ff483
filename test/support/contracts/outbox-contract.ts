import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { notification, type Notification } from "../../../src/domain/notification.js";
import type { Outbox, OutboxMessage, OutboxPointer } from "../../../src/domain/ports.js";
import { CASEWORKER } from "../fixtures.js";

/** An outbox with a tenant nobody else uses, and the two ways a change hands it messages. */
export interface OutboxUnderTest {
  outbox: Outbox;
  tenantId: string;
  otherTenantId: string;
  /** Commits the messages as one change would, each call in a partition of its own. */
  commit(messages: Notification[]): Promise<void>;
  /** Announces the messages for a change that then fails to commit (a crash, a lost race). */
  announceWithoutCommit(messages: Notification[]): Promise<void>;
  /** The state recorded on the committed message; undefined when it never committed. */
  stateOf(message: Notification): Promise<OutboxMessage["state"] | undefined>;
}

const T0 = new Date("2026-11-23T09:00:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const LEASE = 60_000;

function text(tenantId: string, body: string, createdAt = T0): Notification {
  return notification(
    tenantId,
    `test:${randomUUID()}`,
    { kind: "personal", aadObjectId: CASEWORKER.aadObjectId },
    { kind: "text", text: body },
    createdAt,
  );
}

async function onlyDue(outbox: Outbox, tenantId: string, now: Date): Promise<OutboxPointer> {
  const due = await outbox.due(tenantId, now, 10);
  expect(due).toHaveLength(1);
  return due[0]!;
}

/** What every {@link Outbox} must do for its dispatcher, whatever stores it (SPEC §7, §9). */
export function outboxContract(name: string, make: () => Promise<OutboxUnderTest>): void {
  describe(`Outbox contract: ${name}`, () => {
    describe("finding due messages", () => {
      it("makes a committed message due from its creation, unleased and untried, and loads it as committed", async () => {
        const { outbox, tenantId, commit } = await make();
        const message = text(tenantId, "hej");
        await commit([message]);
        expect(await outbox.due(tenantId, at(-1), 10)).toEqual([]);
        const pointer = await onlyDue(outbox, tenantId, T0);
        expect(pointer).toMatchObject({
          tenantId,
          id: message.id,
          dueAt: T0.toISOString(),
          attempts: 0,
          leaseUntil: "",
          createdAt: T0.toISOString(),
        });
        expect(await outbox.load(pointer)).toEqual({
          tenantId,
          id: message.id,
          target: { kind: "personal", aadObjectId: CASEWORKER.aadObjectId },
          content: { kind: "text", text: "hej" },
          state: "pending",
          createdAt: T0.toISOString(),
          etag: expect.any(String),
        });
      });

      it("lists due messages oldest first, at most as many as asked, for the tenant asked only", async () => {
        const { outbox, tenantId, otherTenantId, commit } = await make();
        const late = text(tenantId, "c", at(120_000));
        const early = text(tenantId, "a", T0);
        const middle = text(tenantId, "b", at(60_000));
        await commit([late, early]);
        await commit([middle]);
        await commit([text(otherTenantId, "x")]);
        expect((await outbox.due(tenantId, at(180_000), 10)).map((p) => p.id)).toEqual([early.id, middle.id, late.id]);
        expect((await outbox.due(tenantId, at(90_000), 10)).map((p) => p.id)).toEqual([early.id, middle.id]);
        const two = await outbox.due(tenantId, at(180_000), 2);
        expect(two).toHaveLength(2);
        expect(two[0]!.dueAt <= two[1]!.dueAt).toBe(true);
      });
    });

    describe("claiming", () => {
      it("leases a message to one claimer: the same pointer cannot be claimed twice, and it is not due while leased", async () => {
        const { outbox, tenantId, commit } = await make();
        await commit([text(tenantId, "hej")]);
        const pointer = await onlyDue(outbox, tenantId, T0);
        const claimed = await outbox.claim(pointer, T0, LEASE);
        expect(claimed).toMatchObject({ id: pointer.id, leaseUntil: at(LEASE).toISOString() });
        expect(claimed!.etag).not.toBe(pointer.etag);
        expect(await outbox.claim(pointer, T0, LEASE)).toBeUndefined();
        expect(await outbox.claim(claimed!, at(30_000), LEASE)).toBeUndefined();
        expect(await outbox.due(tenantId, at(LEASE - 1), 10)).toEqual([]);
        // An instance that died holding it: the message is due again once the lease ran out.
        const again = await onlyDue(outbox, tenantId, at(LEASE + 1));
        expect(await outbox.claim(again, at(LEASE + 1), LEASE)).toMatchObject({ leaseUntil: at(2 * LEASE + 1).toISOString() });
      });

      it("does not claim a message that was settled meanwhile", async () => {
        const { outbox, tenantId, commit } = await make();
        await commit([text(tenantId, "hej")]);
        const pointer = await onlyDue(outbox, tenantId, T0);
        await outbox.drop(pointer);
        expect(await outbox.claim(pointer, T0, LEASE)).toBeUndefined();
      });
    });

    describe("settling", () => {
      it("records a sent message as sent and forgets its pointer", async () => {
        const { outbox, tenantId, commit, stateOf } = await make();
        const message = text(tenantId, "hej");
        await commit([message]);
        const claimed = (await outbox.claim(await onlyDue(outbox, tenantId, T0), T0, LEASE))!;
        await outbox.markSent(claimed, (await outbox.load(claimed))!, at(1_000), "1:activity");
        expect(await stateOf(message)).toBe("sent");
        expect(await outbox.due(tenantId, at(10 * LEASE), 10)).toEqual([]);
      });

      it("parks a message Teams refused for good as failed and forgets its pointer", async () => {
        const { outbox, tenantId, commit, stateOf } = await make();
        const message = text(tenantId, "hej");
        await commit([message]);
        const claimed = (await outbox.claim(await onlyDue(outbox, tenantId, T0), T0, LEASE))!;
        expect(await outbox.parked(tenantId)).toEqual({ count: 0 });
        await outbox.markFailed(claimed, (await outbox.load(claimed))!, "HTTP 403", at(2_000));
        expect(await stateOf(message)).toBe("failed");
        expect(await outbox.due(tenantId, at(10 * LEASE), 10)).toEqual([]);
        expect(await outbox.parked(tenantId)).toEqual({ count: 1, oldestAt: at(2_000).toISOString() });
      });

      it("keeps the first outcome when a message is settled twice from the same read", async () => {
        const { outbox, tenantId, commit, stateOf } = await make();
        const message = text(tenantId, "hej");
        await commit([message]);
        const claimed = (await outbox.claim(await onlyDue(outbox, tenantId, T0), T0, LEASE))!;
        const read = (await outbox.load(claimed))!;
        await outbox.markSent(claimed, read, at(1_000), "1:activity");
        await outbox.markFailed(claimed, read, "HTTP 403", at(2_000));
        expect(await stateOf(message)).toBe("sent");
        expect(await outbox.parked(tenantId)).toEqual({ count: 0 });
        expect((await outbox.load(claimed))?.state).toBe("sent");
      });
    });

    describe("retrying", () => {
      it("makes a message due again later, counting the attempt and freeing the lease", async () => {
        const { outbox, tenantId, commit } = await make();
        await commit([text(tenantId, "hej")]);
        const claimed = (await outbox.claim(await onlyDue(outbox, tenantId, T0), T0, LEASE))!;
        await outbox.reschedule(claimed, at(5_000));
        expect(await outbox.due(tenantId, at(4_999), 10)).toEqual([]);
        expect(await onlyDue(outbox, tenantId, at(5_000))).toMatchObject({ dueAt: at(5_000).toISOString(), attempts: 1, leaseUntil: "" });
      });

      it("ignores a reschedule from a claim made before the message was announced again", async () => {
        const { outbox, tenantId, commit, announceWithoutCommit } = await make();
        const message = text(tenantId, "hej");
        await commit([message]);
        const claimed = (await outbox.claim(await onlyDue(outbox, tenantId, T0), T0, LEASE))!;
        await announceWithoutCommit([{ ...message, createdAt: at(10_000).toISOString() }]);
        await outbox.reschedule(claimed, at(3_600_000));
        // The lease, due time and attempts stayed; the fresh announcement is recorded.
        expect(await outbox.due(tenantId, at(LEASE - 1), 10)).toEqual([]);
        expect(await onlyDue(outbox, tenantId, at(LEASE + 1))).toMatchObject({
          dueAt: T0.toISOString(),
          attempts: 0,
          announcedAt: at(10_000).toISOString(),
        });
      });
    });

    describe("orphans", () => {
      it("shows an announced message whose change never committed as due, loading as nothing", async () => {
        const { outbox, tenantId, announceWithoutCommit, stateOf } = await make();
        const message = text(tenantId, "aldrig");
        await announceWithoutCommit([message]);
        const pointer = await onlyDue(outbox, tenantId, T0);
        expect(pointer).toMatchObject({ id: message.id, announcedAt: T0.toISOString() });
        expect(await outbox.load(pointer)).toBeUndefined();
        expect(await stateOf(message)).toBeUndefined();
        expect(await outbox.dropOrphan(pointer)).toBe(true);
        expect(await outbox.due(tenantId, at(3_600_000), 10)).toEqual([]);
      });

      it("keeps an orphan that was announced again since it was read (its change may be committing now)", async () => {
        const { outbox, tenantId, announceWithoutCommit } = await make();
        const message = text(tenantId, "snart");
        await announceWithoutCommit([message]);
        const pointer = await onlyDue(outbox, tenantId, T0);
        await announceWithoutCommit([{ ...message, createdAt: at(1_000).toISOString() }]);
        expect(await outbox.dropOrphan(pointer)).toBe(false);
        expect((await onlyDue(outbox, tenantId, at(1_000))).id).toBe(message.id);
      });

      it("drops a pointer whatever happened to it, and a second drop is harmless", async () => {
        const { outbox, tenantId, commit } = await make();
        await commit([text(tenantId, "hej")]);
        const pointer = await onlyDue(outbox, tenantId, T0);
        await outbox.claim(pointer, T0, LEASE);
        await outbox.drop(pointer);
        await outbox.drop(pointer);
        expect(await outbox.due(tenantId, at(10 * LEASE), 10)).toEqual([]);
        expect(await outbox.dropOrphan(pointer)).toBe(false);
      });
    });
  });
}
