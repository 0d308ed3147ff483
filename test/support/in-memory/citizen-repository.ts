import type { BostotteRecord } from "../../../src/domain/bostotte.js";
import type { CitizenLinks, FollowedCitizen, Follower } from "../../../src/domain/citizen.js";
import { cprLookupKey, parseCpr } from "../../../src/domain/cpr.js";
import type { Notification } from "../../../src/domain/notification.js";
import type { AuditEntry, BostotteClaim, CitizenRepository, FollowResult, StoreBostotteResult } from "../../../src/domain/ports.js";
import { monthDayKey } from "../../../src/domain/target-group-change.js";
import { DuplicateMessageError, type InMemoryOutbox } from "./in-memory-outbox.js";
import type { CitizenErasure } from "../../../src/domain/ports.js";
import { monthOf } from "../../../src/domain/retention.js";
import { InMemoryRetentionIndex } from "./retention-index.js";

const LOOKUP_KEY = Buffer.alloc(32, 3);

interface Citizen {
  cprDigits: string;
  followers: Map<string, Follower>;
  cases: Map<number, string>;
  decisions: Map<string, BostotteRecord>;
  audits: AuditEntry[];
}

/** Where the fake files a citizen's messages in the outbox. */
export const citizenSource = (tenantId: string, citizenId: string): string => `${tenantId}|citizen|${citizenId}`;

/**
 * Citizens in memory, with the semantics of `TableCitizenRepository`: one record per
 * citizen found through a keyed hash of the CPR number, decisions stored once per decision
 * id (a repeat is a duplicate, other content a conflict), messages committed to the one
 * outbox with the change. Records are copied in and out.
 */
export class InMemoryCitizenRepository implements CitizenRepository {
  private readonly citizens = new Map<string, Citizen>();
  private readonly claims = new Map<string, { citizenId: string; fingerprint: string }>();
  private readonly birthdays = new Map<string, Set<string>>();

  constructor(
    private readonly outbox: InMemoryOutbox,
    /** Where a following or a decision notes its citizen for retention (SPEC §9); shared with the other repositories when given. */
    readonly retention: InMemoryRetentionIndex = new InMemoryRetentionIndex(),
  ) {}

  /** The citizen's opaque id, as storage derives it. */
  citizenIdOf(cprDigits: string): string {
    return cprLookupKey(cprDigits.replace("-", ""), LOOKUP_KEY);
  }

  async follow(tenantId: string, cprDigits: string, follower: Follower, audit: AuditEntry, maxFollowers: number): Promise<FollowResult> {
    const citizenId = this.citizenIdOf(cprDigits);
    const existing = this.citizens.get(key(tenantId, citizenId));
    if (existing?.followers.has(follower.aadObjectId)) return { kind: "already-following", citizenId };
    if ((existing?.followers.size ?? 0) >= maxFollowers) return { kind: "too-many-followers", citizenId };
    const citizen = this.ensure(tenantId, citizenId, cprDigits);
    citizen.followers.set(follower.aadObjectId, structuredClone(follower));
    citizen.audits.push(structuredClone(audit));
    this.retention.note(tenantId, { kind: "citizen", citizenId }, earliestMonth(audit.at, follower.since));
    return { kind: "followed", citizenId };
  }

  async unfollow(tenantId: string, citizenId: string, aadObjectId: string, audit: AuditEntry): Promise<boolean> {
    const citizen = this.citizens.get(key(tenantId, citizenId));
    if (!citizen?.followers.delete(aadObjectId)) return false;
    citizen.audits.push(structuredClone(audit));
    return true;
  }

  async followedBy(tenantId: string, aadObjectId: string, limit: number): Promise<FollowedCitizen[]> {
    const out: FollowedCitizen[] = [];
    for (const [k, citizen] of this.citizens) {
      const [tenant, citizenId] = k.split("\n") as [string, string];
      const follower = citizen.followers.get(aadObjectId);
      if (tenant === tenantId && follower)
        out.push({ citizenId, cprDigits: citizen.cprDigits, purpose: follower.purpose, since: follower.since });
    }
    return out.sort((a, b) => b.since.localeCompare(a.since)).slice(0, limit);
  }

  async handOverFollowing(
    tenantId: string,
    citizenId: string,
    from: string,
    to: string,
    at: string,
    audit: AuditEntry,
    messages: (handedOver: Follower) => Notification[],
  ): Promise<"handed-over" | "not-following" | "already-following"> {
    const citizen = this.citizens.get(key(tenantId, citizenId));
    const current = citizen?.followers.get(from);
    if (!citizen || !current) return "not-following";
    if (citizen.followers.has(to)) return "already-following";
    this.outbox.commit(citizenSource(tenantId, citizenId), messages(structuredClone(current)));
    citizen.followers.delete(from);
    citizen.followers.set(to, { aadObjectId: to, purpose: current.purpose, since: at });
    citizen.audits.push(structuredClone(audit));
    return "handed-over";
  }

  async linkCase(tenantId: string, cprDigits: string, caseNo: number, raisedBy: string): Promise<void> {
    const citizenId = this.citizenIdOf(cprDigits);
    this.ensure(tenantId, citizenId, cprDigits).cases.set(caseNo, raisedBy);
    const parsed = parseCpr(cprDigits);
    if (!parsed.ok) throw new Error("A citizen's CPR number must be valid");
    const day = `${tenantId}\n${monthDayKey(parsed.cpr.birthDate.month, parsed.cpr.birthDate.day)}`;
    this.birthdays.set(day, (this.birthdays.get(day) ?? new Set()).add(citizenId));
  }

  async changeCaseworker(tenantId: string, cprDigits: string, caseNo: number, raisedBy: string): Promise<void> {
    await this.linkCase(tenantId, cprDigits, caseNo, raisedBy);
  }

  async links(tenantId: string, citizenId: string): Promise<CitizenLinks | undefined> {
    const citizen = this.citizens.get(key(tenantId, citizenId));
    return citizen && linksOf(citizenId, citizen);
  }

  async linksByCpr(tenantId: string, cprDigits: string): Promise<CitizenLinks | undefined> {
    return this.links(tenantId, this.citizenIdOf(cprDigits));
  }

  async recordBostotte(
    claim: BostotteClaim,
    build: (links: CitizenLinks) => { record: BostotteRecord; messages: Notification[] },
    audit: AuditEntry,
  ): Promise<StoreBostotteResult> {
    const citizenId = this.citizenIdOf(claim.cprDigits);
    const claimKey = key(claim.tenantId, claim.decisionId);
    const claimed = this.claims.get(claimKey);
    if (claimed) {
      if (claimed.fingerprint !== claim.fingerprint) return { kind: "conflict" };
      const stored = this.citizens.get(key(claim.tenantId, claimed.citizenId))?.decisions.get(claim.decisionId);
      if (stored) return { kind: "duplicate", record: structuredClone(stored) };
    } else {
      this.claims.set(claimKey, { citizenId, fingerprint: claim.fingerprint });
    }
    const existing = this.citizens.get(key(claim.tenantId, citizenId));
    const links = existing ? linksOf(citizenId, existing) : { citizenId, cprDigits: claim.cprDigits, followers: [], cases: [] };
    const { record, messages } = build(links);
    const stored: BostotteRecord = { ...structuredClone(record), tenantId: claim.tenantId, id: claim.decisionId, citizenId };
    try {
      this.outbox.commit(citizenSource(claim.tenantId, citizenId), messages);
    } catch (error) {
      if (!(error instanceof DuplicateMessageError)) throw error;
      const winner = existing?.decisions.get(claim.decisionId);
      if (!winner) throw error;
      return { kind: "duplicate", record: structuredClone(winner) };
    }
    const citizen = this.ensure(claim.tenantId, citizenId, claim.cprDigits);
    citizen.decisions.set(claim.decisionId, stored);
    citizen.audits.push(structuredClone(audit));
    this.retention.note(claim.tenantId, { kind: "citizen", citizenId }, earliestMonth(audit.at, stored.decidedAt));
    return { kind: "recorded", record: structuredClone(stored) };
  }

  async bostotte(tenantId: string, decisionId: string): Promise<{ record: BostotteRecord; links: CitizenLinks } | undefined> {
    const claimed = this.claims.get(key(tenantId, decisionId));
    const citizen = claimed && this.citizens.get(key(tenantId, claimed.citizenId));
    const record = citizen?.decisions.get(decisionId);
    if (!claimed || !citizen || !record) return undefined;
    return { record: structuredClone(record), links: linksOf(claimed.citizenId, citizen) };
  }

  async audit(tenantId: string, citizen: { citizenId: string } | { cprDigits: string }, entry: AuditEntry): Promise<void> {
    const citizenId = "citizenId" in citizen ? citizen.citizenId : this.citizenIdOf(citizen.cprDigits);
    const found = this.citizens.get(key(tenantId, citizenId));
    if (found) found.audits.push(structuredClone(entry));
    else this.orphanAudits.push({ tenantId, citizenId, entry: structuredClone(entry) });
  }

  async birthdaysOn(tenantId: string, monthDay: string): Promise<{ citizenId: string; cprDigits: string }[]> {
    return [...(this.birthdays.get(`${tenantId}\n${monthDay}`) ?? [])].map((citizenId) => ({
      citizenId,
      cprDigits: this.citizens.get(key(tenantId, citizenId))!.cprDigits,
    }));
  }

  async notifyOnce(tenantId: string, citizenId: string, messages: Notification[]): Promise<boolean> {
    if (messages.length === 0) return false;
    try {
      this.outbox.commit(citizenSource(tenantId, citizenId), messages);
      return true;
    } catch (error) {
      if (error instanceof DuplicateMessageError) return false;
      throw error;
    }
  }

  /** Audit rows written for a citizen who has no record (a refused follow), as storage keeps them beside the citizen. */
  readonly orphanAudits: { tenantId: string; citizenId: string; entry: AuditEntry }[] = [];

  /** The audit rows beside a citizen, oldest first (also those of a citizen with no record). */
  auditOf(tenantId: string, citizenId: string): AuditEntry[] {
    const rows = [
      ...(this.citizens.get(key(tenantId, citizenId))?.audits ?? []),
      ...this.orphanAudits.filter((a) => a.tenantId === tenantId && a.citizenId === citizenId).map((a) => a.entry),
    ];
    return structuredClone(rows).sort((a, b) => a.at.localeCompare(b.at));
  }

  /** Retention (`PrivacyStore.citizenRecords`): the citizen's links and decisions; undefined once the citizen is gone. */
  retentionRecords(tenantId: string, citizenId: string): { links: CitizenLinks; decisions: BostotteRecord[] } | undefined {
    const citizen = this.citizens.get(key(tenantId, citizenId));
    if (!citizen) return undefined;
    return { links: linksOf(citizenId, citizen), decisions: structuredClone([...citizen.decisions.values()]) };
  }

  /** Retention (`PrivacyStore.eraseCitizenData`): deletes what `erasure` names; the citizen's audit rows stay, as in storage. */
  eraseRetained(tenantId: string, citizenId: string, erasure: CitizenErasure, audit: AuditEntry): void {
    const citizen = this.citizens.get(key(tenantId, citizenId));
    if (!citizen) return;
    for (const caseNo of erasure.caseLinks) citizen.cases.delete(caseNo);
    for (const id of erasure.followers) citizen.followers.delete(id);
    for (const id of erasure.decisionIds) {
      citizen.decisions.delete(id);
      this.claims.delete(key(tenantId, id));
    }
    citizen.audits.push(structuredClone(audit));
    if (!erasure.citizen) return;
    for (const entry of citizen.audits) this.orphanAudits.push({ tenantId, citizenId, entry });
    this.citizens.delete(key(tenantId, citizenId));
    for (const [day, ids] of this.birthdays) if (day.startsWith(`${tenantId}\n`)) ids.delete(citizenId);
  }

  /** Deletes the audit rows written before `before` (ISO); returns how many. */
  deleteAuditBefore(tenantId: string, before: string): number {
    let deleted = 0;
    for (const [k, citizen] of this.citizens) {
      if (!k.startsWith(`${tenantId}\n`)) continue;
      const kept = citizen.audits.filter((a) => a.at >= before);
      deleted += citizen.audits.length - kept.length;
      citizen.audits = kept;
    }
    const orphansKept = this.orphanAudits.filter((a) => a.tenantId !== tenantId || a.entry.at >= before);
    deleted += this.orphanAudits.length - orphansKept.length;
    this.orphanAudits.splice(0, this.orphanAudits.length, ...orphansKept);
    return deleted;
  }

  /** Every CPR number the fake still holds for a tenant (citizens, decisions), for tests. */
  cprNumbersHeld(tenantId: string): string[] {
    return [...this.citizens.entries()]
      .filter(([k]) => k.startsWith(`${tenantId}\n`))
      .flatMap(([, c]) => [c.cprDigits, ...[...c.decisions.values()].map((d) => d.decision.cprDigits)]);
  }

  private ensure(tenantId: string, citizenId: string, cprDigits: string): Citizen {
    const k = key(tenantId, citizenId);
    let citizen = this.citizens.get(k);
    if (!citizen) {
      citizen = { cprDigits: cprDigits.replace("-", ""), followers: new Map(), cases: new Map(), decisions: new Map(), audits: [] };
      this.citizens.set(k, citizen);
    }
    return citizen;
  }
}

function linksOf(citizenId: string, citizen: Citizen): CitizenLinks {
  return {
    citizenId,
    cprDigits: citizen.cprDigits,
    followers: [...citizen.followers.values()].map((f) => structuredClone(f)),
    cases: [...citizen.cases.entries()].map(([caseNo, raisedBy]) => ({ caseNo, raisedBy })),
  };
}

const key = (tenantId: string, id: string) => `${tenantId}\n${id}`;

/** The earliest month (`YYYY-MM`, UTC) of some instants: where a retention clock may start. */
function earliestMonth(...instants: string[]): string {
  return instants.map(monthOf).sort()[0]!;
}
