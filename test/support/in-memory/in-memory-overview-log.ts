import type { Notification } from "../../../src/domain/notification.js";
import type { OverviewEvent, OverviewLog, OverviewSummary, SpanRun } from "../../../src/domain/overview-events.js";
import type { InMemoryOutbox } from "./in-memory-outbox.js";

/**
 * The overview log in memory, with the semantics of `TableOverviewLog`: events keyed by
 * their time and id (a repeat overwrites itself), summaries by span (a late event that is new
 * drops the summaries of its day and month), subscriptions, and overviews committed once
 * beside them. `rowsRead` counts the events and summaries reads returned.
 */
export class InMemoryOverviewLog implements OverviewLog {
  private readonly events = new Map<string, OverviewEvent>();
  private readonly stored = new Map<string, OverviewSummary>();
  private readonly subs = new Map<string, string>();
  rowsRead = 0;
  /** Summaries stored (made), counting each write. */
  summariesStored = 0;

  constructor(private readonly outbox: InMemoryOutbox) {}

  async record(tenantId: string, events: readonly OverviewEvent[], options: { settledBefore?: Date } = {}): Promise<void> {
    const settled = options.settledBefore?.toISOString();
    for (const e of events) {
      const key = `${tenantId}\n${e.at}|${e.id}`;
      if (settled !== undefined && e.at < settled) {
        if (this.events.has(key)) continue;
        for (const span of [e.at.slice(0, 10), e.at.slice(0, 7)]) this.stored.delete(`${tenantId}\n${span}`);
      }
      this.events.set(key, structuredClone(e));
    }
  }

  async summaries(tenantId: string, runs: readonly SpanRun[]): Promise<OverviewSummary[]> {
    const found = runs.flatMap((run) =>
      [...this.stored.entries()]
        .filter(([key]) => {
          const [tenant, span] = key.split("\n") as [string, string];
          return tenant === tenantId && span.length === run.from.length && span >= run.from && span <= run.to;
        })
        .map(([, s]) => structuredClone(s)),
    );
    this.rowsRead += found.length;
    return found;
  }

  async storeSummaries(tenantId: string, summaries: readonly OverviewSummary[]): Promise<void> {
    for (const s of summaries) {
      this.stored.set(`${tenantId}\n${s.span}`, structuredClone(s));
      this.summariesStored++;
    }
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
