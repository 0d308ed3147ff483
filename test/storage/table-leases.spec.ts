import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { Scheduler } from "../../src/jobs/scheduler.js";
import { createLogger } from "../../src/logger.js";
import { TableLeases } from "../../src/storage/table-leases.js";
import { openTables } from "../../src/storage/table-storage.js";

let leases: TableLeases;
beforeAll(async () => {
  leases = new TableLeases((await openTables(inject("azuriteConnectionString"))).leases);
});

describe("job leases (Azurite)", () => {
  it("lets exactly one of two racing instances take a lease", async () => {
    const job = `job-${randomUUID()}`;
    const now = new Date();
    const results = await Promise.all(["a", "b", "c", "d"].map((h) => leases.tryAcquire(job, h, now, 60_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("runs a scheduled job on one of two instances per tick", async () => {
    const job = `agendas-${randomUUID()}`;
    let runs = 0;
    const logger = createLogger("silent");
    const one = new Scheduler({ leases, holder: "one", now: () => new Date(), logger });
    const two = new Scheduler({ leases, holder: "two", now: () => new Date(), logger });
    const work = { name: job, intervalMs: 1_000, run: async () => void runs++ };
    const ran = await Promise.all([one.runOnce(work), two.runOnce(work)]);
    expect(ran.filter(Boolean)).toHaveLength(1);
    expect(runs).toBe(1);
    await Promise.all([one.stop(), two.stop()]);
  });

  it("gives its leases back on stop, so another instance takes the job at once", async () => {
    const job = `rollover-${randomUUID()}`;
    const logger = createLogger("silent");
    const now = () => new Date();
    const one = new Scheduler({ leases, holder: "one", now, logger });
    const two = new Scheduler({ leases, holder: "two", now, logger });
    const work = { name: job, intervalMs: 60_000, run: async () => undefined };
    expect(await one.runOnce(work)).toBe(true);
    expect(await two.runOnce(work)).toBe(false);
    await one.stop();
    expect(await one.runOnce(work)).toBe(false);
    expect(await two.runOnce(work)).toBe(true);
    await two.stop();
  });
});
