import type { TableClient } from "@azure/data-tables";
import { inject } from "vitest";
import type { NotificationContent, NotificationTarget } from "../../src/domain/notification.js";
import type { AuditEntry } from "../../src/domain/ports.js";
import { ROW_PREFIX, rowsWithPrefix } from "../../src/storage/table-layout.js";
import { openTables, type TableClients } from "../../src/storage/table-storage.js";

let opened: Promise<TableClients> | undefined;

/** The tables on the run's Azurite, opened once per spec file. */
export function azuriteTables(): Promise<TableClients> {
  return (opened ??= openTables(inject("azuriteConnectionString")));
}

/** The raw rows of one partition whose row key starts with `prefix`, in row key order. */
export async function rowsOf<T extends object>(
  table: TableClient,
  partitionKey: string,
  prefix: string,
): Promise<(T & { rowKey: string })[]> {
  const rows: (T & { rowKey: string })[] = [];
  for await (const row of table.listEntities<T>({ queryOptions: { filter: rowsWithPrefix(partitionKey, prefix) } })) {
    rows.push(row as T & { rowKey: string });
  }
  return rows;
}

/** The audit rows of a case or meeting partition, oldest first (their row keys sort by time). */
export async function auditRows(table: TableClient, partitionKey: string): Promise<AuditEntry[]> {
  const rows = await rowsOf<AuditEntry>(table, partitionKey, ROW_PREFIX.audit);
  return rows.map(({ at, user, action, purpose }) => ({ at, user, action, purpose }));
}

/** The messages committed in a case or meeting partition, as stored beside the change. */
export async function messageRows(table: TableClient, partitionKey: string) {
  const rows = await rowsOf<{ target: string; content: string; dedupeKey: string; state: "pending" | "sent" | "failed" }>(
    table,
    partitionKey,
    ROW_PREFIX.outbox,
  );
  return rows.map((row) => ({
    id: row.rowKey.slice(ROW_PREFIX.outbox.length),
    dedupeKey: row.dedupeKey,
    target: JSON.parse(row.target) as NotificationTarget,
    content: JSON.parse(row.content) as NotificationContent,
    state: row.state,
  }));
}
