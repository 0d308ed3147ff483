import type { TableClient, TransactionAction } from "@azure/data-tables";
import type { Notification, NotificationContent, NotificationTarget } from "../domain/notification.js";
import type { Outbox, OutboxMessage, OutboxPointer, ParkedMessages } from "../domain/ports.js";
import { storageStatusOf as statusOf } from "./storage-errors.js";
import { assertSafeKeyPart, keys, ROW_PREFIX } from "./table-layout.js";

/**
 * A durable outbox for proactive messages (SPEC §7, §9).
 *
 * A message is a row `outbox|{id}` in the partition of whatever changed (a case or a
 * meeting), written in the same batch transaction as the change, so a change and its
 * messages commit together or not at all. The dispatcher cannot scan every partition, so
 * each message also gets a pointer in the `outbox` table, written *before* the batch:
 * a committed message therefore always has a pointer, and a pointer whose batch never
 * committed is dropped by the dispatcher once it is older than `ORPHAN_GRACE_MS`, counted
 * from its latest announcement.
 */
const OUTBOX_ROW_PREFIX = ROW_PREFIX.outbox;

const MAX_PAGES_PER_QUERY = 5;

export class TableOutbox implements Outbox {
  constructor(
    /** The table holding case and meeting partitions. */
    private readonly source: TableClient,
    /** The `outbox` pointer table. */
    private readonly pointers: TableClient,
  ) {}

  /** The batch action that stores a message next to the change it belongs to. */
  messageAction(partitionKey: string, n: Notification): TransactionAction {
    return [
      "create",
      {
        partitionKey,
        rowKey: OUTBOX_ROW_PREFIX + n.id,
        target: JSON.stringify(n.target),
        content: JSON.stringify(n.content),
        dedupeKey: n.dedupeKey,
        state: "pending",
        createdAt: n.createdAt,
      },
    ];
  }

  /**
   * Announces the messages, then commits `actions` plus the messages in one transaction
   * in `partitionKey` (one partition, at most 100 operations).
   */
  async commit(partitionKey: string, actions: TransactionAction[], messages: Notification[]): Promise<void> {
    await this.announceAll(partitionKey, messages);
    await this.submit(partitionKey, actions, messages);
  }

  /**
   * The first half of {@link commit}, for a caller that announces while it does other work
   * (a pointer costs nothing if its change never commits: the dispatcher drops it).
   */
  async announceAll(partitionKey: string, messages: readonly Notification[]): Promise<void> {
    await Promise.all(messages.map((m) => this.announce(m, partitionKey)));
  }

  /** The second half of {@link commit}: every message must have been announced by {@link announceAll} first. */
  async submit(partitionKey: string, actions: TransactionAction[], messages: readonly Notification[]): Promise<void> {
    if (actions.length + messages.length > 100) throw new Error("A batch holds at most 100 operations");
    await this.source.submitTransaction([...actions, ...messages.map((m) => this.messageAction(partitionKey, m))]);
  }

  /**
   * Creates the pointer. When it exists already (the same event announced again: a
   * re-delivered turn, a job's next run) it is only touched: its lease, due time and
   * attempts stay, so an instance sending it keeps it; the new eTag makes a concurrent
   * orphan drop fail, and the fresh `announcedAt` restarts the grace period.
   */
  private async announce(n: Notification, sourcePk: string): Promise<void> {
    const partitionKey = keys.outboxPartition(assertSafeKeyPart(n.tenantId, "tenant id"));
    // The announcing change's own time (its clock), as the dispatcher's grace check compares with that clock.
    const announcedAt = n.createdAt;
    try {
      await this.pointers.createEntity({
        partitionKey,
        rowKey: n.id,
        sourcePk,
        sourceRk: OUTBOX_ROW_PREFIX + n.id,
        dueAt: n.createdAt,
        attempts: 0,
        leaseUntil: "",
        createdAt: n.createdAt,
        announcedAt,
      });
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
      // Unconditional on purpose: the point is to change the eTag whoever holds the pointer.
      await this.pointers.updateEntity({ partitionKey, rowKey: n.id, announcedAt }, "Merge");
    }
  }

  /**
   * Pointers due at `now` and not leased by a live instance, at most `limit`, oldest
   * first within what was read. Reads on past empty pages (the service may return one with
   * a continuation), but no further than a few pages.
   */
  async due(tenantId: string, now: Date, limit: number): Promise<OutboxPointer[]> {
    const pk = keys.outboxPartition(tenantId);
    const at = now.toISOString();
    const pages = this.pointers
      .listEntities<Omit<OutboxPointer, "tenantId" | "id" | "etag">>({
        queryOptions: { filter: `PartitionKey eq '${pk}' and dueAt le '${at}' and leaseUntil lt '${at}'` },
      })
      .byPage({ maxPageSize: limit });
    const out: OutboxPointer[] = [];
    let pagesRead = 0;
    for await (const page of pages) {
      for (const row of page) {
        if (out.length < limit) out.push({ ...row, tenantId, id: row.rowKey!, etag: row.etag });
      }
      if (out.length >= limit || ++pagesRead >= MAX_PAGES_PER_QUERY) break;
    }
    return out.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  }

  /**
   * Takes a pointer for `ttlMs`, so one dispatcher instance sends it. False when another
   * instance holds a live lease or changed the pointer first.
   */
  async claim(pointer: OutboxPointer, now: Date, ttlMs: number): Promise<OutboxPointer | undefined> {
    if (pointer.leaseUntil && pointer.leaseUntil > now.toISOString()) return undefined;
    const leaseUntil = new Date(now.getTime() + ttlMs).toISOString();
    try {
      const res = await this.pointers.updateEntity(
        { partitionKey: keys.outboxPartition(pointer.tenantId), rowKey: pointer.id, leaseUntil },
        "Merge",
        { etag: pointer.etag },
      );
      return { ...pointer, leaseUntil, etag: res.etag ?? pointer.etag };
    } catch (error) {
      if (statusOf(error) === 412 || statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async load(pointer: OutboxPointer): Promise<OutboxMessage | undefined> {
    try {
      const row = await this.source.getEntity<{ target: string; content: string; state: OutboxMessage["state"]; createdAt: string }>(
        pointer.sourcePk,
        pointer.sourceRk,
      );
      return {
        tenantId: pointer.tenantId,
        id: pointer.id,
        target: JSON.parse(row.target) as NotificationTarget,
        content: JSON.parse(row.content) as NotificationContent,
        state: row.state,
        createdAt: row.createdAt,
        etag: row.etag,
      };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async markSent(pointer: OutboxPointer, message: OutboxMessage, sentAt: Date, sentActivityId: string | undefined): Promise<void> {
    await this.settle(message, pointer, { state: "sent", sentAt: sentAt.toISOString(), sentActivityId: sentActivityId ?? "" });
  }

  async markFailed(pointer: OutboxPointer, message: OutboxMessage, reason: string, at: Date): Promise<void> {
    const parked = {
      partitionKey: keys.parkedPartition(pointer.tenantId),
      rowKey: pointer.id,
      parkedAt: at.toISOString(),
      kind: message.content.kind,
      reason,
    };
    // Counted only when this settled it (not when another instance had sent it), before the
    // pointer goes: a crash in between leaves the pointer, and the next attempt counts it.
    await this.settle(message, pointer, { state: "failed", failure: reason, failedAt: at.toISOString() }, () =>
      this.pointers.upsertEntity(parked, "Replace").then(() => undefined),
    );
  }

  async parked(tenantId: string): Promise<ParkedMessages> {
    const pk = keys.parkedPartition(assertSafeKeyPart(tenantId, "tenant id"));
    let count = 0;
    let oldestAt: string | undefined;
    for await (const row of this.pointers.listEntities<{ parkedAt: string }>({
      queryOptions: { filter: `PartitionKey eq '${pk}'`, select: ["parkedAt"] },
    })) {
      count++;
      if (!oldestAt || row.parkedAt < oldestAt) oldestAt = row.parkedAt;
    }
    return oldestAt ? { count, oldestAt } : { count };
  }

  /** Records the outcome on the message row (as read), runs `then` if this call settled it, then drops the pointer. */
  private async settle(
    message: OutboxMessage,
    pointer: OutboxPointer,
    outcome: Record<string, string>,
    then?: () => Promise<void>,
  ): Promise<void> {
    let settled = true;
    try {
      await this.source.updateEntity({ partitionKey: pointer.sourcePk, rowKey: pointer.sourceRk, ...outcome }, "Merge", {
        etag: message.etag,
      });
    } catch (error) {
      // 412: another instance settled it first; 404: its case or meeting was deleted meanwhile.
      const status = statusOf(error);
      if (status !== 412 && status !== 404) throw error;
      settled = false;
    }
    if (settled) await then?.();
    await this.drop(pointer);
  }

  /**
   * Makes the pointer due again at `dueAt`. Does nothing when the pointer changed since
   * it was claimed (announced again) or is gone: it is then picked up again once its
   * lease runs out, or was settled.
   */
  async reschedule(pointer: OutboxPointer, dueAt: Date): Promise<void> {
    try {
      await this.pointers.updateEntity(
        {
          partitionKey: keys.outboxPartition(pointer.tenantId),
          rowKey: pointer.id,
          dueAt: dueAt.toISOString(),
          attempts: pointer.attempts + 1,
          leaseUntil: "",
        },
        "Merge",
        { etag: pointer.etag },
      );
    } catch (error) {
      const status = statusOf(error);
      if (status !== 412 && status !== 404) throw error;
    }
  }

  /**
   * Deletes a pointer whose message never committed, only if nobody announced it again
   * since it was claimed. False when it was kept.
   */
  async dropOrphan(pointer: OutboxPointer): Promise<boolean> {
    try {
      await this.pointers.deleteEntity(keys.outboxPartition(pointer.tenantId), pointer.id, { etag: pointer.etag });
      return true;
    } catch (error) {
      const status = statusOf(error);
      if (status !== 412 && status !== 404) throw error;
      return false;
    }
  }

  async drop(pointer: OutboxPointer): Promise<void> {
    try {
      await this.pointers.deleteEntity(keys.outboxPartition(pointer.tenantId), pointer.id);
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }
}
