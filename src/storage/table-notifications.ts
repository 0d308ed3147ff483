import { RestError, type TableClient, type TransactionAction } from "@azure/data-tables";
import type { Notification, NotificationContent, NotificationTarget } from "../domain/notification.js";
import { assertSafeKeyPart, keys } from "./table-layout.js";

/**
 * A durable outbox for proactive messages (SPEC §7, §9).
 *
 * A message is a row `outbox|{id}` in the partition of whatever changed (a case or a
 * meeting), written in the same batch transaction as the change, so a change and its
 * messages commit together or not at all. The dispatcher cannot scan every partition, so
 * each message also gets a pointer in the `outbox` table, written *before* the batch:
 * a committed message therefore always has a pointer, and a pointer whose batch never
 * committed is dropped once it is older than {@link ORPHAN_GRACE_MS}.
 */
export const ORPHAN_GRACE_MS = 2 * 60_000;

export const OUTBOX_ROW_PREFIX = "outbox|";

export interface PendingPointer {
  tenantId: string;
  id: string;
  sourcePk: string;
  sourceRk: string;
  dueAt: string;
  attempts: number;
  leaseUntil: string;
  createdAt: string;
  etag: string;
}

export interface StoredNotification {
  tenantId: string;
  id: string;
  target: NotificationTarget;
  content: NotificationContent;
  state: "pending" | "sent" | "failed";
  createdAt: string;
  etag: string;
}

export class TableNotifications {
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
    if (actions.length + messages.length > 100) throw new Error("A batch holds at most 100 operations");
    await Promise.all(messages.map((m) => this.announce(m, partitionKey)));
    await this.source.submitTransaction([...actions, ...messages.map((m) => this.messageAction(partitionKey, m))]);
  }

  private async announce(n: Notification, sourcePk: string): Promise<void> {
    await this.pointers.upsertEntity(
      {
        partitionKey: keys.outboxPartition(assertSafeKeyPart(n.tenantId, "tenant id")),
        rowKey: n.id,
        sourcePk,
        sourceRk: OUTBOX_ROW_PREFIX + n.id,
        dueAt: n.createdAt,
        attempts: 0,
        leaseUntil: "",
        createdAt: n.createdAt,
      },
      "Merge",
    );
  }

  /** Pointers due at `now`, oldest first, at most `limit`. */
  async due(tenantId: string, now: Date, limit: number): Promise<PendingPointer[]> {
    const pk = keys.outboxPartition(tenantId);
    const pages = this.pointers
      .listEntities<Omit<PendingPointer, "tenantId" | "id" | "etag">>({
        queryOptions: { filter: `PartitionKey eq '${pk}' and dueAt le '${now.toISOString()}'` },
      })
      .byPage({ maxPageSize: limit });
    const out: PendingPointer[] = [];
    for await (const page of pages) {
      for (const row of page) {
        if (out.length < limit) out.push({ ...row, tenantId, id: row.rowKey!, etag: row.etag });
      }
      break;
    }
    return out.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  }

  /**
   * Takes a pointer for `ttlMs`, so one dispatcher instance sends it. False when another
   * instance holds a live lease or changed the pointer first.
   */
  async claim(pointer: PendingPointer, now: Date, ttlMs: number): Promise<PendingPointer | undefined> {
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

  async load(pointer: PendingPointer): Promise<StoredNotification | undefined> {
    try {
      const row = await this.source.getEntity<{ target: string; content: string; state: StoredNotification["state"]; createdAt: string }>(
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

  async markSent(pointer: PendingPointer, sentAt: Date, sentActivityId: string | undefined): Promise<void> {
    await this.source.updateEntity(
      { partitionKey: pointer.sourcePk, rowKey: pointer.sourceRk, state: "sent", sentAt: sentAt.toISOString(), sentActivityId: sentActivityId ?? "" },
      "Merge",
    );
    await this.drop(pointer);
  }

  async markFailed(pointer: PendingPointer, reason: string): Promise<void> {
    await this.source.updateEntity({ partitionKey: pointer.sourcePk, rowKey: pointer.sourceRk, state: "failed", failure: reason }, "Merge");
    await this.drop(pointer);
  }

  async reschedule(pointer: PendingPointer, dueAt: Date): Promise<void> {
    await this.pointers.updateEntity(
      { partitionKey: keys.outboxPartition(pointer.tenantId), rowKey: pointer.id, dueAt: dueAt.toISOString(), attempts: pointer.attempts + 1, leaseUntil: "" },
      "Merge",
      { etag: pointer.etag },
    );
  }

  async drop(pointer: PendingPointer): Promise<void> {
    try {
      await this.pointers.deleteEntity(keys.outboxPartition(pointer.tenantId), pointer.id);
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }
}

export function statusOf(error: unknown): number | undefined {
  return error instanceof RestError ? error.statusCode : (error as { statusCode?: number } | undefined)?.statusCode;
}
