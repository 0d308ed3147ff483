import type { TableClient, TransactionAction } from "@azure/data-tables";
import type { Notification } from "../domain/notification.js";
import type { OverviewEvent, OverviewLog } from "../domain/overview-events.js";
import { isBatchConflict, storageStatusOf } from "./storage-errors.js";
import type { TableOutbox } from "./table-outbox.js";
import { assertSafeKeyPart, keys, rowsWithPrefix } from "./table-layout.js";

const SUBSCRIBER_PREFIX = "subscriber|";
const BATCH = 100;

/**
 * The overview's events and subscriptions in Table Storage (see `table-layout.ts`). Events
 * are upserted under a key made of their own time and id, so writing one again overwrites
 * it with itself; a period is read with one range query per month partition it touches.
 */
export class TableOverviewLog implements OverviewLog {
  constructor(
    /** The `caseindex` table: event partitions. */
    private readonly index: TableClient,
    /** The `cases` table: subscriptions, and the overviews' outbox rows beside them. */
    private readonly cases: TableClient,
    private readonly outbox: TableOutbox,
  ) {}

  async record(tenantId: string, events: readonly OverviewEvent[]): Promise<void> {
    const tenant = assertSafeKeyPart(tenantId, "tenant id");
    const byPartition = new Map<string, TransactionAction[]>();
    for (const e of events) {
      const pk = keys.overviewEventPartition(tenant, e.at.slice(0, 7));
      const row = { partitionKey: pk, rowKey: keys.overviewEventRow(e.at, safeEventId(e.id)), event: JSON.stringify(e) };
      byPartition.set(pk, [...(byPartition.get(pk) ?? []), ["upsert", row, "Replace"]]);
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
