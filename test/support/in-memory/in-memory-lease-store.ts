import type { LeaseStore } from "../../../src/domain/ports.js";

/** Job leases in memory, with the semantics of `TableLeases`. */
export class InMemoryLeaseStore implements LeaseStore {
  private readonly leases = new Map<string, { holder: string; leaseUntil: string }>();

  async tryAcquire(job: string, holder: string, now: Date, ttlMs: number): Promise<boolean> {
    const current = this.leases.get(job);
    if (current && current.holder !== holder && current.leaseUntil > now.toISOString()) return false;
    this.leases.set(job, { holder, leaseUntil: new Date(now.getTime() + ttlMs).toISOString() });
    return true;
  }

  async release(job: string, holder: string): Promise<void> {
    if (this.leases.get(job)?.holder === holder) this.leases.delete(job);
  }

  /** Who holds the job's lease, and until when; undefined when nobody took it or it was released. */
  holderOf(job: string): { holder: string; leaseUntil: string } | undefined {
    const lease = this.leases.get(job);
    return lease && { ...lease };
  }
}
