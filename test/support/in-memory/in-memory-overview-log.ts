import type { Notification } from "../../../src/domain/notification.js";
import type { OverviewEvent, OverviewLog } from "../../../src/domain/overview-events.js";
import type { InMemoryOutbox } from "./in-memory-outbox.js";

/**
 * The overview log in memory, with the semantics of `TableOverviewLog`: events keyed by
 * their time and id (a repeat overwrites itself), subscriptions, and overviews committed
 * once beside them. `rowsRead` counts the events a period read returned.
 */
export class InMemoryOverviewLog implements OverviewLog {
  private readonly events = new Map<string, OverviewEvent>();
  private readonly subs = new Map<string, string>();
  rowsRead = 0;

  constructor(private readonly outbox: InMemoryOutbox) {}

  async record(tenantId: string, events: readonly OverviewEvent[]): Promise<void> {
    for (const e of events) this.events.set(`${tenantId}\n${e.at}|${e.id}`, structuredClone(e));
  }

  async between(tenantId: string, from: Date, until: Date): Promise<OverviewEvent[]> {
    const lower = `${tenantId}\n${from.toISOString()}`;
    const upper = `${tenantId}\n${until.toISOString()}`;
    const found = [...this.events.entries()]
      .filter(([key]) => key >= lower && key < upper)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, e]) => structuredClone(e));
    this.rowsRead += found.length;
    return found;
  }

  async subscribe(tenantId: string, aadObjectId: string, at: Date): Promise<boolean> {
    const key = `${tenantId}\n${aadObjectId}`;
    if (this.subs.has(key)) return false;
    this.subs.set(key, at.toISOString());
    return true;
  }

  async unsubscribe(tenantId: string, aadObjectId: string): Promise<boolean> {
    return this.subs.delete(`${tenantId}\n${aadObjectId}`);
  }

  async subscribers(tenantId: string): Promise<{ aadObjectId: string; since: string }[]> {
    const prefix = `${tenantId}\n`;
    return [...this.subs].filter(([k]) => k.startsWith(prefix)).map(([k, since]) => ({ aadObjectId: k.slice(prefix.length), since }));
  }

  async notifyOnce(tenantId: string, messages: readonly Notification[]): Promise<boolean> {
    try {
      this.outbox.commit(`${tenantId}|overview`, messages);
      return true;
    } catch {
      return false;
    }
  }
}
