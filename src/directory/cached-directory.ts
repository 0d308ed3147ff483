import type { Clock } from "../domain/ports.js";
import type { Directory, ResolvedEntries } from "../domain/roles.js";

/**
 * Remembers what the directory said for `ttlMs` per tenant (and role entries), so a turn
 * normally costs no Graph call, and asks again once that has passed: someone added to a
 * group gets the role within that time, with no redeploy. Concurrent turns share one
 * request. A failure is not remembered: the next turn asks again.
 */
export class CachedDirectory implements Directory {
  private readonly entries = new Map<string, { at: number; value: Promise<ResolvedEntries> }>();

  constructor(
    private readonly inner: Directory,
    private readonly ttlMs: number,
    private readonly clock: Clock,
  ) {}

  resolve(tenantId: string, entries: readonly string[]): Promise<ResolvedEntries> {
    const key = `${tenantId}\n${entries.join("\n")}`;
    const now = this.clock.now().getTime();
    const cached = this.entries.get(key);
    if (cached && now - cached.at < this.ttlMs) return cached.value;
    const fresh = { at: now, value: this.inner.resolve(tenantId, entries) };
    this.entries.set(key, fresh);
    fresh.value.catch(() => {
      if (this.entries.get(key) === fresh) this.entries.delete(key);
    });
    return fresh.value;
  }
}
