import type { TableClient } from "@azure/data-tables";
import type { LeaseStore } from "../domain/ports.js";
import { storageStatusOf as statusOf } from "./storage-errors.js";
import { keys } from "./table-layout.js";

const PARTITION = keys.leasePartition;

/** Leases as rows, taken and renewed with eTags (see {@link LeaseStore}). */
export class TableLeases implements LeaseStore {
  constructor(private readonly table: TableClient) {}

  async tryAcquire(job: string, holder: string, now: Date, ttlMs: number): Promise<boolean> {
    const until = new Date(now.getTime() + ttlMs).toISOString();
    try {
      const current = await this.table.getEntity<{ holder: string; leaseUntil: string }>(PARTITION, job);
      if (current.holder !== holder && current.leaseUntil > now.toISOString()) return false;
      await this.table.updateEntity({ partitionKey: PARTITION, rowKey: job, holder, leaseUntil: until }, "Replace", { etag: current.etag });
      return true;
    } catch (error) {
      const status = statusOf(error);
      if (status === 412) return false;
      if (status !== 404) throw error;
    }
    try {
      await this.table.createEntity({ partitionKey: PARTITION, rowKey: job, holder, leaseUntil: until });
      return true;
    } catch (error) {
      if (statusOf(error) === 409) return false;
      throw error;
    }
  }

  async release(job: string, holder: string): Promise<void> {
    try {
      const current = await this.table.getEntity<{ holder: string }>(PARTITION, job);
      if (current.holder === holder) await this.table.deleteEntity(PARTITION, job, { etag: current.etag });
    } catch (error) {
      const status = statusOf(error);
      if (status !== 404 && status !== 412) throw error;
    }
  }
}
