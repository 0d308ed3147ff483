import type { TableClient } from "@azure/data-tables";
import type { RetentionCandidate, RetentionSubject } from "../domain/ports.js";
import { monthOf } from "../domain/retention.js";
import { isNotFound } from "./storage-errors.js";
import { keys } from "./table-layout.js";

/**
 * The two privacy indexes in `caseindex` (SPEC §9; keys in table-layout.ts): the retention
 * index, which the repositories write before a change that starts a retention clock, and
 * the audit index of months, which they write before an audit row. Both are written first so
 * that a crash leaves an extra index row (harmless: the job checks), never a row of personal
 * data or an audit row that no job would find.
 */

/** Notes a subject for retention in `month` (`YYYY-MM`, UTC); idempotent. */
export async function noteRetention(index: TableClient, tenantId: string, subject: RetentionSubject, month: string): Promise<void> {
  await index.upsertEntity(
    {
      partitionKey: keys.retentionPartition(tenantId, month),
      rowKey: retentionRow(subject),
      ...(subject.kind === "case" ? { caseNo: subject.caseNo } : { citizenId: subject.citizenId }),
    },
    "Replace",
  );
}

export async function dropRetention(index: TableClient, tenantId: string, candidate: RetentionCandidate): Promise<void> {
  try {
    await index.deleteEntity(keys.retentionPartition(tenantId, candidate.month), retentionRow(candidate.subject));
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

export function retentionRow(subject: RetentionSubject): string {
  return subject.kind === "case" ? keys.retentionCaseRow(subject.caseNo) : keys.retentionCitizenRow(subject.citizenId);
}

/** The subject a retention row key names; undefined for a key of another shape. */
export function subjectOfRow(rowKey: string): RetentionSubject | undefined {
  const [kind, id] = rowKey.split("|") as [string, string | undefined];
  if (kind === "case" && id && /^\d+$/.test(id)) return { kind: "case", caseNo: Number(id) };
  if (kind === "citizen" && id) return { kind: "citizen", citizenId: id };
  return undefined;
}

/** The earliest of some ISO instants (undefined ones ignored): the month a clock may start in. */
export function earliestMonth(...instants: (string | undefined)[]): string {
  const months = instants.filter((i): i is string => typeof i === "string" && i !== "").map((i) => monthOf(i));
  return months.sort()[0]!;
}

/**
 * Pairs of (table, partition, month) this process has noted in the audit index: an index row
 * is never deleted while its month can still get audit rows, so each is written once per
 * process and month, not once per audit row.
 */
const notedAuditMonths = new Set<string>();
const MAX_NOTED = 20_000;

/** Notes that `sourcePk` (`{tenant}|…`) gets an audit row written at `at`; call it before writing the row. */
export async function noteAuditMonth(index: TableClient, sourcePk: string, at: string): Promise<void> {
  const month = monthOf(at);
  const remembered = `${index.url}\n${sourcePk}\n${month}`;
  if (notedAuditMonths.has(remembered)) return;
  const tenantId = sourcePk.slice(0, sourcePk.indexOf("|"));
  await index.upsertEntity(
    { partitionKey: keys.auditMonthPartition(tenantId, month), rowKey: sourcePk.slice(tenantId.length + 1), sourcePk },
    "Replace",
  );
  if (notedAuditMonths.size >= MAX_NOTED) notedAuditMonths.clear();
  notedAuditMonths.add(remembered);
}

/** Forgets a noted month whose index row was deleted (its audit rows are gone), so a later row notes it again. */
export function forgetAuditMonth(index: TableClient, sourcePk: string, month: string): void {
  notedAuditMonths.delete(`${index.url}\n${sourcePk}\n${month}`);
}
