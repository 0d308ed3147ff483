import type { TableClient, TransactionAction } from "@azure/data-tables";
import type { Notification } from "../domain/notification.js";
import type { OverviewEvent, OverviewLog, OverviewSummary, SpanRun } from "../domain/overview-events.js";
import { assertWithinTableLimits, EntityTooLargeError } from "./entity-limits.js";
import { isBatchConflict, storageStatusOf } from "./storage-errors.js";
import type { TableOutbox } from "./table-outbox.js";
import { assertSafeKeyPart, keys, rowsWithPrefix } from "./table-layout.js";

const SUBSCRIBER_PREFIX = "subscriber|";
const BATCH = 100;
/** A summary's JSON is split over properties `s0`, `s1`, … of at most this many characters (64 KiB each). */
const SUMMARY_CHUNK = 30_000;

type SummaryEntity = { partitionKey: string; rowKey: string; parts: number } & Record<string, string | number>;

/**
 * The overview's events, summaries and subscriptions in Table Storage (see `table-layout.ts`).
 * Events are upserted under a key made of their own time and id, so writing one again
 * overwrites it with itself; a period is read with one range query per month partition it
 * touches. Summaries of UTC days and months sit in one partition per tenant, read by range.
 */
export class TableOverviewLog implements OverviewLog {
  constructor(
    /** The `caseindex` table: event partitions. */
    private readonly index: TableClient,
    /** The `cases` table: subscriptions, and the overviews' outbox rows beside them. */
    private readonly cases: TableClient,
    private readonly outbox: TableOutbox,
  ) {}

  async record(tenantId: string, events: readonly OverviewEvent[], options: { settledBefore?: Date } = {}): Promise<void> {
    const tenant = assertSafeKeyPart(tenantId, "tenant id");
    const settled = options.settledBefore?.toISOString();
    const row = (e: OverviewEvent) => ({
      partitionKey: keys.overviewEventPartition(tenant, e.at.slice(0, 7)),
      rowKey: keys.overviewEventRow(e.at, safeEventId(e.id)),
      event: JSON.stringify(e),
    });
    // A late event (its day may be summarised): written only when new, and then the summaries
    // it falls in are dropped, so the next read makes them again with it.
    const late = settled === undefined ? [] : events.filter((e) => e.at < settled);
    for (const e of late) {
      const entity = row(e);
      try {
        await this.index.createEntity(entity);
      } catch (error) {
        if (storageStatusOf(error) === 409) continue;
        throw error;
      }
      await this.forgetSummaries(tenant, [e.at.slice(0, 10), e.at.slice(0, 7)]);
    }
    const byPartition = new Map<string, TransactionAction[]>();
    for (const e of events) {
      if (late.includes(e)) continue;
      const entity = row(e);
      byPartition.set(entity.partitionKey, [...(byPartition.get(entity.partitionKey) ?? []), ["upsert", entity, "Replace"]]);
    }
    for (const actions of byPartition.values()) {
      for (let i = 0; i < actions.length; i += BATCH) {
        const slice = actions.slice(i, i + BATCH);
        if (slice.length === 1) await this.index.upsertEntity(slice[0]![1] as { partitionKey: string; rowKey: string }, "Replace");
        else await this.index.submitTransaction(slice);
      }
    }
  }

  async between(tenantId: string, from: Date, until: Date): Promise<OverviewEvent[]> {
    const tenant = assertSafeKeyPart(tenantId, "tenant id");
    if (until.getTime() <= from.getTime()) return [];
    const lower = from.toISOString();
    const upper = until.toISOString();
    const months = monthsBetween(from, new Date(until.getTime() - 1));
    const parts = await Promise.all(
      months.map(async (month) => {
        const pk = keys.overviewEventPartition(tenant, month);
        const out: OverviewEvent[] = [];
        const rows = this.index.listEntities<{ event: string }>({
          queryOptions: {
            filter: `PartitionKey eq '${pk.replace(/'/g, "''")}' and RowKey ge '${lower}' and RowKey lt '${upper}'`,
            select: ["event"],
          },
        });
        for await (const row of rows) out.push(JSON.parse(row.event) as OverviewEvent);
        return out;
      }),
    );
    return parts.flat();
  }

  async summaries(tenantId: string, runs: readonly SpanRun[]): Promise<OverviewSummary[]> {
    const pk = keys.overviewSummaryPartition(assertSafeKeyPart(tenantId, "tenant id"));
    const parts = await Promise.all(
      runs.map(async (run) => {
        const out: OverviewSummary[] = [];
        const filter =
          `PartitionKey eq '${pk.replace(/'/g, "''")}' and RowKey ge '${keys.overviewSummaryRow(run.from)}'` +
          ` and RowKey le '${keys.overviewSummaryRow(run.to)}'`;
        for await (const row of this.index.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
          const chunks = Number(row["parts"]);
          let json = "";
          for (let i = 0; i < chunks; i++) json += String(row[`s${i}`] ?? "");
          out.push(JSON.parse(json) as OverviewSummary);
        }
        return out;
      }),
    );
    return parts.flat();
  }

  async storeSummaries(tenantId: string, summaries: readonly OverviewSummary[]): Promise<void> {
    const pk = keys.overviewSummaryPartition(assertSafeKeyPart(tenantId, "tenant id"));
    const actions: TransactionAction[] = [];
    for (const summary of summaries) {
      const json = JSON.stringify(summary);
      const entity: SummaryEntity = { partitionKey: pk, rowKey: keys.overviewSummaryRow(summary.span), parts: 0 };
      for (let i = 0; i * SUMMARY_CHUNK < json.length; i++) {
        entity[`s${i}`] = json.slice(i * SUMMARY_CHUNK, (i + 1) * SUMMARY_CHUNK);
        entity.parts = i + 1;
      }
      try {
        assertWithinTableLimits(entity);
      } catch (error) {
        // Too big to store: that span is read from its events (or days) each time instead.
        if (error instanceof EntityTooLargeError) continue;
        throw error;
      }
      actions.push(["upsert", entity, "Replace"]);
    }
    // One entity per action and batches of at most 4 MiB: a handful of summaries per batch.
    for (let i = 0; i < actions.length;) {
      let size = 0;
      const slice: TransactionAction[] = [];
      while (i < actions.length && slice.length < BATCH) {
        const bytes = JSON.stringify(actions[i]![1]).length * 2;
        if (slice.length > 0 && size + bytes > 3 * 1024 * 1024) break;
        size += bytes;
        slice.push(actions[i++]!);
      }
      if (slice.length === 1) await this.index.upsertEntity(slice[0]![1] as SummaryEntity, "Replace");
      else await this.index.submitTransaction(slice);
    }
  }

  private async forgetSummaries(tenant: string, spans: readonly string[]): Promise<void> {
    const pk = keys.overviewSummaryPartition(tenant);
    for (const span of spans) {
      try {
        await this.index.deleteEntity(pk, keys.overviewSummaryRow(span));
      } catch (error) {
        if (storageStatusOf(error) !== 404) throw error;
      }
    }
  }

  async subscribe(tenantId: string, aadObjectId: string, at: Date): Promise<boolean> {
    try {
      await this.cases.createEntity({
        partitionKey: keys.overviewPartition(assertSafeKeyPart(tenantId, "tenant id")),
        rowKey: keys.overviewSubscriberRow(assertSafeKeyPart(aadObjectId, "user id")),
        since: at.toISOString(),
      });
      return true;
    } catch (error) {
      if (storageStatusOf(error) === 409) return false;
      throw error;
    }
  }

  async unsubscribe(tenantId: string, aadObjectId: string): Promise<boolean> {
    try {
      await this.cases.deleteEntity(
        keys.overviewPartition(assertSafeKeyPart(tenantId, "tenant id")),
        keys.overviewSubscriberRow(assertSafeKeyPart(aadObjectId, "user id")),
      );
      return true;
    } catch (error) {
      if (storageStatusOf(error) === 404) return false;
      throw error;
    }
  }

  async subscribers(tenantId: string): Promise<{ aadObjectId: string; since: string }[]> {
    const pk = keys.overviewPartition(assertSafeKeyPart(tenantId, "tenant id"));
    const out: { aadObjectId: string; since: string }[] = [];
    for await (const row of this.cases.listEntities<{ since: string }>({
      queryOptions: { filter: rowsWithPrefix(pk, SUBSCRIBER_PREFIX), select: ["RowKey", "since"] },
    })) {
      out.push({ aadObjectId: row.rowKey!.slice(SUBSCRIBER_PREFIX.length), since: row.since });
    }
    return out;
  }

  async notifyOnce(tenantId: string, messages: readonly Notification[]): Promise<boolean> {
    if (messages.length === 0) return false;
    try {
      await this.outbox.commit(keys.overviewPartition(assertSafeKeyPart(tenantId, "tenant id")), [], [...messages]);
      return true;
    } catch (error) {
      if (isBatchConflict(error) || storageStatusOf(error) === 409) return false;
      throw error;
    }
  }
}

/** `YYYY-MM` (UTC) of every month from `from` to `to`, inclusive. */
export function monthsBetween(from: Date, to: Date): string[] {
  const months: string[] = [];
  let year = from.getUTCFullYear();
  let month = from.getUTCMonth();
  while (year < to.getUTCFullYear() || (year === to.getUTCFullYear() && month <= to.getUTCMonth())) {
    months.push(`${year}-${String(month + 1).padStart(2, "0")}`);
    if (++month === 12) {
      month = 0;
      year++;
    }
  }
  return months;
}

/** Event ids are built by the domain from case numbers and decision ids; keys forbid a few characters. */
function safeEventId(id: string): string {
  return id.replace(/[/\\#?\u0000-\u001f\u007f-\u009f]/g, "_");
}
