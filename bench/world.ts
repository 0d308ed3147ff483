/**
 * What the bench driver (`turn-cost.ts`) and its side processes (`side.ts`) must agree on:
 * the keys, the floor's table and the messages between them. Imports nothing, so the floor
 * process loads no more than an echo bot needs (the tenant is in `bench-municipality.ts`).
 */

/** Same key on both sides, so the driver can seed and check what the bot process reads. */
export const ENCRYPTION_KEY = Buffer.alloc(32, 7);
export const TIME_ZONE = "Europe/Copenhagen";

/** The floor's own table: one row, read once per floor turn. */
export const FLOOR_TABLE = "benchfloor";
export const FLOOR_ROW = "row";

/** A manager of the bench tenant, for `overblik`. */
export const BENCH_MANAGER = { aadObjectId: "aaaaaaaa-1111-4000-8000-0000000000b1", name: "Bench Leder" };

/** The forums' channels in the bench tenant: the agenda is asked for in the youth one, decisions are made in the adult one. */
export const YOUTH_CHANNEL = "19:bench-unge@thread.tacv2";
export const ADULT_CHANNEL = "19:bench-voksne@thread.tacv2";

export type Side = "floor" | "bot";

/** What a side process saw of one turn's storage (matched to the turn by the `x-bench-turn` header). */
export interface TurnStorage {
  /** Requests that reached the wire end of an Azure SDK pipeline. */
  calls: number;
  /**
   * Groups of overlapping requests, one after the other: the turn's sequential storage round
   * trips. A lower bound where chains run side by side (e.g. paged queries in parallel).
   */
  rounds: number;
  /**
   * The longest run of requests each starting after the previous one ended: an upper bound
   * of the round trips a turn waits for, as Azurite answers parallel requests one at a time.
   */
  chain: number;
  /** Time at least one storage request was open. */
  busyMs: number;
  /** Field decryptions (the bot only). */
  decryptions: number;
}

export const TURN_HEADER = "x-bench-turn";

/** Driver → side. Every request is answered with the same `id`. */
export type SideRequest = { id: number; kind: "usage" } | { id: number; kind: "take" } | { id: number; kind: "stop" };

/** Side → driver. */
export type SideReply =
  | { kind: "ready"; url: string }
  | { kind: "failed"; message: string }
  | {
      id: number;
      kind: "usage";
      /** `process.cpuUsage()`, user + system, µs since the process started. */
      cpuUs: number;
      rssBytes: number;
      /** Peak resident set size since the process started (`process.resourceUsage().maxRSS`). */
      maxRssKb: number;
      /** Per turn since the last `take`, by turn key (only for `take`). */
      turns?: Record<string, TurnStorage>;
      /** Storage requests made outside any turn since the last `take`. */
      untracked?: number;
    }
  | { id: number; kind: "stopped" };
