import type { BostotteRecord } from "../../../src/domain/bostotte.js";
import type { CaseAnonymisation } from "../../../src/domain/case.js";
import type { CitizenLinks } from "../../../src/domain/citizen.js";
import type {
  AuditEntry,
  AuditSource,
  CitizenErasure,
  PrivacyStore,
  RetentionCandidate,
  RetentionSubject,
} from "../../../src/domain/ports.js";
import type { InMemoryCaseRepository } from "./in-memory-case-repository.js";
import { inMemoryPorts } from "./index.js";
import { InMemoryPlanRepository } from "./plan-repository.js";
import { InMemoryCitizenRepository } from "./citizen-repository.js";
import type { InMemoryRetentionIndex } from "./retention-index.js";

/**
 * Privacy in memory, with the semantics of `TablePrivacyStore`: the retention index the
 * repositories note into, anonymising and erasing through the in-memory repositories, and
 * the audit rows beside a case (its plan's included) or a citizen.
 */
export class InMemoryPrivacyStore implements PrivacyStore {
  constructor(
    private readonly cases: InMemoryCaseRepository,
    private readonly plans: InMemoryPlanRepository,
    private readonly citizens: InMemoryCitizenRepository,
    readonly retention: InMemoryRetentionIndex,
  ) {}

  async retentionCandidates(tenantId: string, untilMonth: string, limit: number): Promise<RetentionCandidate[]> {
    return this.retention.until(tenantId, untilMonth, limit);
  }

  async noteRetention(tenantId: string, subject: RetentionSubject, month: string): Promise<void> {
    this.retention.note(tenantId, subject, month);
  }

  async dropRetention(tenantId: string, candidate: RetentionCandidate): Promise<void> {
    this.retention.drop(tenantId, candidate);
  }

  async anonymiseCase(
    tenantId: string,
    caseNo: number,
    expectedVersion: number,
    anonymisation: CaseAnonymisation,
    audit: AuditEntry,
    citizenMonth: string,
  ): Promise<{ citizenId: string | undefined } | undefined> {
    const before = await this.cases.get(tenantId, caseNo);
    if (!before || before.version !== expectedVersion) return undefined;
    const citizenId = before.cprDigits ? this.citizens.citizenIdOf(before.cprDigits) : undefined;
    if (citizenId) this.retention.note(tenantId, { kind: "citizen", citizenId }, citizenMonth);
    return this.cases.anonymise(tenantId, caseNo, expectedVersion, anonymisation, audit) ? { citizenId } : undefined;
  }

  async citizenRecords(tenantId: string, citizenId: string): Promise<{ links: CitizenLinks; decisions: BostotteRecord[] } | undefined> {
    return this.citizens.retentionRecords(tenantId, citizenId);
  }

  async eraseCitizenData(tenantId: string, citizenId: string, erasure: CitizenErasure, audit: AuditEntry): Promise<void> {
    this.citizens.eraseRetained(tenantId, citizenId, erasure, audit);
  }

  async deleteAuditBefore(tenantId: string, before: Date, _limit: number): Promise<number> {
    const at = before.toISOString();
    return (
      this.cases.deleteAuditBefore(tenantId, at) +
      this.plans.deleteAuditBefore(tenantId, at) +
      this.citizens.deleteAuditBefore(tenantId, at)
    );
  }

  async auditTrail(tenantId: string, source: AuditSource): Promise<AuditEntry[]> {
    const rows =
      source.kind === "case"
        ? [...this.cases.auditOf(tenantId, source.caseNo), ...this.plans.auditOf(tenantId, source.caseNo)]
        : this.citizens.auditOf(tenantId, this.citizens.citizenIdOf(source.cprDigits));
    return rows.sort((a, b) => a.at.localeCompare(b.at));
  }
}

/** Every port in memory with plans, citizens and privacy, all noting into one retention index. */
export function inMemoryPrivacyPorts(options: { now?: Date | string } = {}) {
  const ports = inMemoryPorts(options);
  const retention = ports.cases.retention;
  const plans = new InMemoryPlanRepository(ports.outbox, retention);
  const citizens = new InMemoryCitizenRepository(ports.outbox, retention);
  const privacy = new InMemoryPrivacyStore(ports.cases, plans, citizens, retention);
  return { ...ports, plans, citizens, privacy, retention };
}

export type InMemoryPrivacyPorts = ReturnType<typeof inMemoryPrivacyPorts>;
