import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { LeaseStore } from "../../../src/domain/ports.js";

const T0 = new Date("2026-11-23T10:00:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

/** What every {@link LeaseStore} must do, whatever stores it. Job names are fresh per test. */
export function leaseStoreContract(name: string, make: () => Promise<LeaseStore>): void {
  describe(`LeaseStore contract: ${name}`, () => {
    it("gives a free job's lease to the first instance asking, and keeps others out while it lasts", async () => {
      const leases = await make();
      const job = `agendas-${randomUUID()}`;
      expect(await leases.tryAcquire(job, "a", T0, 30_000)).toBe(true);
      expect(await leases.tryAcquire(job, "b", at(10_000), 30_000)).toBe(false);
      expect(await leases.tryAcquire(job, "b", at(29_999), 30_000)).toBe(false);
    });

    it("lets the holder renew, and another instance take over only once the lease ran out", async () => {
      const leases = await make();
      const job = `agendas-${randomUUID()}`;
      expect(await leases.tryAcquire(job, "a", T0, 30_000)).toBe(true);
      expect(await leases.tryAcquire(job, "a", at(20_000), 30_000)).toBe(true);
      expect(await leases.tryAcquire(job, "b", at(49_000), 30_000)).toBe(false);
      expect(await leases.tryAcquire(job, "b", at(51_000), 30_000)).toBe(true);
      expect(await leases.tryAcquire(job, "a", at(52_000), 30_000)).toBe(false);
    });

    it("is freed by its holder's release only", async () => {
      const leases = await make();
      const job = `rollover-${randomUUID()}`;
      await leases.tryAcquire(job, "a", T0, 60_000);
      await leases.release(job, "b");
      expect(await leases.tryAcquire(job, "b", at(1_000), 60_000)).toBe(false);
      await leases.release(job, "a");
      expect(await leases.tryAcquire(job, "b", at(2_000), 60_000)).toBe(true);
    });

    it("keeps jobs apart, and releasing a job nobody holds does nothing", async () => {
      const leases = await make();
      const one = `one-${randomUUID()}`;
      const two = `two-${randomUUID()}`;
      await leases.release(one, "a");
      expect(await leases.tryAcquire(one, "a", T0, 60_000)).toBe(true);
      expect(await leases.tryAcquire(two, "b", T0, 60_000)).toBe(true);
    });
  });
}
