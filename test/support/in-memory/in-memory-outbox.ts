import type { Notification, NotificationContent, NotificationTarget } from "../../../src/domain/notification.js";
import type { Outbox, OutboxMessage, OutboxPointer, ParkedMessages } from "../../../src/domain/ports.js";

/** A message as the fake keeps it beside the change (case or meeting) that committed it. */
export interface StoredMessage {
  tenantId: string;
  id: string;
  /** The case or meeting the message was committed with, e.g. `case|7`. */
  source: string;
  target: NotificationTarget;
  content: NotificationContent;
  dedupeKey: string;
  state: OutboxMessage["state"];
  createdAt: string;
  sentAt?: string;
  sentActivityId?: string;
  failure?: string;
}

/** A message id already committed beside the same change: Table Storage fails such a batch with 409. */
export class DuplicateMessageError extends Error {
  readonly statusCode = 409;
}

type PointerRow = Omit<OutboxPointer, "tenantId" | "id">;

/**
 * The outbox in memory, with the semantics of `TableOutbox`: a pointer per message,
 * announced before its change commits; claims, reschedules and orphan drops conditional
 * on the pointer's eTag (a counter here); outcomes recorded on the message row.
 */
export class InMemoryOutbox implements Outbox {
  private readonly parkedAt = new Map<string, string>();
  private readonly pointerRows = new Map<string, PointerRow>();
  private readonly messageRows = new Map<string, StoredMessage & { etag: string }>();
  private etags = 0;

  /**
   * Announces the messages, then stores them beside `source` all at once. Throws
   * {@link DuplicateMessageError} (storing none) when one is there already; the
   * announcements stay, as with a failed batch.
   */
  commit(source: string, messages: readonly Notification[]): void {
    this.announceOnly(source, messages);
    const ids = messages.map((m) => m.id);
    if (new Set(ids).size !== ids.length || ids.some((id) => this.messageRows.has(messageKey(source, id)))) {
      throw new DuplicateMessageError(`A message of ${source} is there already`);
    }
    for (const m of messages) {
      this.messageRows.set(messageKey(source, m.id), {
        tenantId: m.tenantId,
        id: m.id,
        source,
        target: structuredClone(m.target),
        content: structuredClone(m.content),
        dedupeKey: m.dedupeKey,
        state: "pending",
        createdAt: m.createdAt,
        etag: this.nextEtag(),
      });
    }
  }

  /** Writes only the pointers, as a change does right before its batch: a crash after this leaves orphans. */
  announceOnly(source: string, messages: readonly Notification[]): void {
    for (const m of messages) {
      const key = pointerKey(m.tenantId, m.id);
      const existing = this.pointerRows.get(key);
      if (existing) {
        // Touched only: its lease, due time and attempts stay with whoever holds it.
        this.pointerRows.set(key, { ...existing, announcedAt: m.createdAt, etag: this.nextEtag() });
      } else {
        this.pointerRows.set(key, {
          sourcePk: source,
          sourceRk: m.id,
          dueAt: m.createdAt,
          attempts: 0,
          leaseUntil: "",
          createdAt: m.createdAt,
          announcedAt: m.createdAt,
          etag: this.nextEtag(),
        });
      }
    }
  }

  async due(tenantId: string, now: Date, limit: number): Promise<OutboxPointer[]> {
    const at = now.toISOString();
    return this.pointers(tenantId)
      .filter((p) => p.dueAt <= at && p.leaseUntil < at)
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt))
      .slice(0, limit);
  }

  async claim(pointer: OutboxPointer, now: Date, ttlMs: number): Promise<OutboxPointer | undefined> {
    if (pointer.leaseUntil && pointer.leaseUntil > now.toISOString()) return undefined;
    const key = pointerKey(pointer.tenantId, pointer.id);
    const stored = this.pointerRows.get(key);
    if (!stored || stored.etag !== pointer.etag) return undefined;
    const leaseUntil = new Date(now.getTime() + ttlMs).toISOString();
    const etag = this.nextEtag();
    this.pointerRows.set(key, { ...stored, leaseUntil, etag });
    return { ...pointer, leaseUntil, etag };
  }

  async load(pointer: OutboxPointer): Promise<OutboxMessage | undefined> {
    const row = this.messageRows.get(messageKey(pointer.sourcePk, pointer.sourceRk));
    if (!row) return undefined;
    return {
      tenantId: pointer.tenantId,
      id: pointer.id,
      target: structuredClone(row.target),
      content: structuredClone(row.content),
      state: row.state,
      createdAt: row.createdAt,
      etag: row.etag,
    };
  }

  async markSent(pointer: OutboxPointer, message: OutboxMessage, sentAt: Date, sentActivityId: string | undefined): Promise<void> {
    this.settle(pointer, message, { state: "sent", sentAt: sentAt.toISOString(), sentActivityId: sentActivityId ?? "" });
    await this.drop(pointer);
  }

  async markFailed(pointer: OutboxPointer, message: OutboxMessage, reason: string, at: Date): Promise<void> {
    if (this.settle(pointer, message, { state: "failed", failure: reason }))
      this.parkedAt.set(pointerKey(pointer.tenantId, pointer.id), at.toISOString());
    await this.drop(pointer);
  }

  async parked(tenantId: string): Promise<ParkedMessages> {
    const times = [...this.parkedAt]
      .filter(([key]) => key.startsWith(`${tenantId}\n`))
      .map(([, at]) => at)
      .sort();
    return times.length > 0 ? { count: times.length, oldestAt: times[0]! } : { count: 0 };
  }

  async reschedule(pointer: OutboxPointer, dueAt: Date): Promise<void> {
    const key = pointerKey(pointer.tenantId, pointer.id);
    const stored = this.pointerRows.get(key);
    if (!stored || stored.etag !== pointer.etag) return;
    this.pointerRows.set(key, {
      ...stored,
      dueAt: dueAt.toISOString(),
      attempts: pointer.attempts + 1,
      leaseUntil: "",
      etag: this.nextEtag(),
    });
  }

  async dropOrphan(pointer: OutboxPointer): Promise<boolean> {
    const key = pointerKey(pointer.tenantId, pointer.id);
    if (this.pointerRows.get(key)?.etag !== pointer.etag) return false;
    this.pointerRows.delete(key);
    return true;
  }

  async drop(pointer: OutboxPointer): Promise<void> {
    this.pointerRows.delete(pointerKey(pointer.tenantId, pointer.id));
  }

  /** Every committed message of the tenant (or of all tenants), in commit order. */
  messages(tenantId?: string): StoredMessage[] {
    return [...this.messageRows.values()]
      .filter((m) => tenantId === undefined || m.tenantId === tenantId)
      .map(({ etag: _etag, ...m }) => structuredClone(m));
  }

  pending(tenantId?: string): StoredMessage[] {
    return this.messages(tenantId).filter((m) => m.state === "pending");
  }

  sent(tenantId?: string): StoredMessage[] {
    return this.messages(tenantId).filter((m) => m.state === "sent");
  }

  failed(tenantId?: string): StoredMessage[] {
    return this.messages(tenantId).filter((m) => m.state === "failed");
  }

  /** The messages committed beside one case or meeting (see {@link caseSource}, {@link meetingSource}). */
  messagesOf(source: string): StoredMessage[] {
    return this.messages().filter((m) => m.source === source);
  }

  /** The tenant's pointers as they are stored now. */
  pointers(tenantId: string): OutboxPointer[] {
    const prefix = `${tenantId}\n`;
    return [...this.pointerRows.entries()]
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, row]) => ({ ...row, tenantId, id: key.slice(prefix.length) }));
  }

  /** True when this call recorded the outcome. */
  private settle(pointer: OutboxPointer, message: OutboxMessage, outcome: Partial<StoredMessage>): boolean {
    const key = messageKey(pointer.sourcePk, pointer.sourceRk);
    const row = this.messageRows.get(key);
    // Another instance settled it first, or its change is gone: nothing to record.
    if (!row || row.etag !== message.etag) return false;
    this.messageRows.set(key, { ...row, ...outcome, etag: this.nextEtag() });
    return true;
  }

  private nextEtag(): string {
    return `W/"${++this.etags}"`;
  }
}

/** Where the fakes file a case's messages. */
export const caseSource = (tenantId: string, caseNo: number): string => `${tenantId}|case|${caseNo}`;
/** Where the fakes file a meeting's messages. */
export const meetingSource = (tenantId: string, meeting: { forumId: string; date: string }): string =>
  `${tenantId}|meeting|${meeting.forumId}|${meeting.date}`;

const pointerKey = (tenantId: string, id: string) => `${tenantId}\n${id}`;
const messageKey = (source: string, id: string) => `${source}\n${id}`;
