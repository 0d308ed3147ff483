import { performance } from "node:perf_hooks";
import type { TableClient } from "@azure/data-tables";

/** One request to Table Storage as it left the SDK (after signing, so retries count too) and when its answer came. */
export interface StorageCall {
  method: string;
  /** The table and keys or query, without the account. */
  path: string;
  start: number;
  end: number;
}

/**
 * Watches every request the given clients send, with a policy at the wire end of each Azure
 * SDK pipeline (as `npm run bench` does). Only what happens between {@link StorageProbe.start}
 * and {@link StorageProbe.stop} is kept.
 */
export interface StorageProbe {
  start(): void;
  stop(): StorageCall[];
}

export function probeStorage(clients: readonly TableClient[]): StorageProbe {
  let recording: StorageCall[] | undefined;
  for (const client of clients) {
    client.pipeline.addPolicy(
      {
        name: "test-storage-probe",
        async sendRequest(request, next) {
          const calls = recording;
          const url = new URL(request.url);
          const call: StorageCall = {
            method: request.method,
            path: decodeURIComponent(url.pathname + url.search),
            start: performance.now(),
            end: Number.NaN,
          };
          calls?.push(call);
          try {
            return await next(request);
          } finally {
            call.end = performance.now();
          }
        },
      },
      { afterPhase: "Sign" },
    );
  }
  return {
    start() {
      recording = [];
    },
    stop() {
      const calls = recording ?? [];
      recording = undefined;
      return calls;
    },
  };
}

/**
 * How many round trips the calls took one after another: the longest chain of calls each
 * sent after the one before it had its answer. Calls in flight together count once.
 */
export function sequentialRounds(calls: readonly StorageCall[]): number {
  return Math.max(0, ...roundsOf(calls).map(([round]) => round));
}

/** The calls with their round, for a readable failure message. */
export function describeRounds(calls: readonly StorageCall[]): string {
  return roundsOf(calls)
    .map(([round, c]) => `${round}: ${c.method} ${c.path.slice(0, 160)}`)
    .join("\n");
}

function roundsOf(calls: readonly StorageCall[]): [number, StorageCall][] {
  const sorted = [...calls].sort((a, b) => a.start - b.start);
  const out: [number, StorageCall][] = [];
  for (const call of sorted) {
    const before = Math.max(0, ...out.filter(([, c]) => c.end <= call.start).map(([round]) => round));
    out.push([before + 1, call]);
  }
  return out;
}
