import type { RetentionCandidate, RetentionSubject } from "../../../src/domain/ports.js";

/**
 * The retention index in memory (SPEC §9), as `caseindex` keeps it: subjects noted per
 * month. The in-memory repositories note into one shared index when given it, as the
 * Table repositories do before a change that starts a retention clock.
 */
export class InMemoryRetentionIndex {
  private readonly rows = new Map<string, RetentionCandidate>();

  note(tenantId: string, subject: RetentionSubject, month: string): void {
    this.rows.set(rowKey(tenantId, month, subject), { month, subject: structuredClone(subject) });
  }

  drop(tenantId: string, candidate: RetentionCandidate): void {
    this.rows.delete(rowKey(tenantId, candidate.month, candidate.subject));
  }

  /** Candidates of a tenant up to and including `untilMonth`, in key order (month, then subject). */
  until(tenantId: string, untilMonth: string, limit: number): RetentionCandidate[] {
    return [...this.rows.entries()]
      .filter(([k, c]) => k.startsWith(`${tenantId}\n`) && c.month <= untilMonth)
      .sort(([a], [b]) => a.localeCompare(b))
      .slice(0, limit)
      .map(([, c]) => structuredClone(c));
  }

  /** Every candidate of a tenant, for tests. */
  all(tenantId: string): RetentionCandidate[] {
    return this.until(tenantId, "9999-12", Number.MAX_SAFE_INTEGER);
  }
}

function rowKey(tenantId: string, month: string, subject: RetentionSubject): string {
  const id = subject.kind === "case" ? `case|${String(subject.caseNo).padStart(10, "0")}` : `citizen|${subject.citizenId}`;
  return `${tenantId}\n${month}\n${id}`;
}
