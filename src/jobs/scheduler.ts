import type { Logger } from "../logger.js";
import type { LeaseStore } from "../domain/ports.js";

interface Job {
  name: string;
  intervalMs: number;
  run: () => Promise<unknown>;
  timer?: NodeJS.Timeout;
  running?: Promise<unknown>;
}

/**
 * Runs scheduled work on whichever instance holds the job's lease (SPEC §9: "scheduled jobs
 * run once, not once per instance"). Jobs are idempotent as well, so a lease that expires
 * mid-run costs repeated reads, never repeated effects.
 */
export class Scheduler {
  private readonly jobs: Job[] = [];
  private stopped = false;

  constructor(
    private readonly deps: { leases: LeaseStore; holder: string; now: () => Date; logger: Logger },
  ) {}

  every(name: string, intervalMs: number, run: () => Promise<unknown>): this {
    const job: Job = { name, intervalMs, run };
    this.jobs.push(job);
    const tick = () => {
      job.running = this.runOnce(job).finally(() => {
        if (!this.stopped) job.timer = setTimeout(tick, job.intervalMs);
      });
    };
    job.timer = setTimeout(tick, 0);
    return this;
  }

  /** One tick of a job: true when this instance held the lease and ran it. */
  async runOnce(job: Pick<Job, "name" | "intervalMs" | "run">): Promise<boolean> {
    try {
      const leaseMs = Math.max(job.intervalMs * 2, 30_000);
      if (!(await this.deps.leases.tryAcquire(job.name, this.deps.holder, this.deps.now(), leaseMs))) return false;
      await job.run();
      return true;
    } catch (error) {
      this.deps.logger.error({ err: error, job: job.name }, "scheduled job failed");
      return false;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const job of this.jobs) if (job.timer) clearTimeout(job.timer);
    await Promise.all(this.jobs.map((j) => j.running));
  }
}
