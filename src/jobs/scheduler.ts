import type { LeaseStore } from "../domain/ports.js";
import type { Logger } from "../logger.js";

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
  private readonly held = new Set<string>();
  private stopped = false;

  constructor(private readonly deps: { leases: LeaseStore; holder: string; now: () => Date; logger: Logger }) {}

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
    if (this.stopped) return false;
    try {
      const leaseMs = Math.max(job.intervalMs * 2, 30_000);
      if (!(await this.deps.leases.tryAcquire(job.name, this.deps.holder, this.deps.now(), leaseMs))) {
        this.held.delete(job.name);
        return false;
      }
      this.held.add(job.name);
      await job.run();
      return true;
    } catch (error) {
      this.deps.logger.error({ err: error, job: job.name }, "scheduled job failed");
      return false;
    }
  }

  /**
   * Stops scheduling, waits for runs in flight, and gives back the leases this instance
   * holds, so after a deploy another instance takes the jobs at once instead of waiting
   * for the leases to expire.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const job of this.jobs) if (job.timer) clearTimeout(job.timer);
    await Promise.all(this.jobs.map((j) => j.running));
    await Promise.all(
      [...this.held].map((name) =>
        this.deps.leases.release(name, this.deps.holder).catch((error: unknown) => {
          this.deps.logger.warn({ err: error, job: name }, "could not release a job lease; it expires by itself");
        }),
      ),
    );
    this.held.clear();
  }
}
