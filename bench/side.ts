/**
 * One side of the bench in its own process, so its CPU and memory are its own: the floor
 * (an echo bot) or the real bot, each on `TeamsAdapter({})` behind `createHost`, reading
 * the same Azurite. Started by `turn-cost.ts` with `fork`:
 *
 *   side.ts <floor|bot> <connection string> <tenant id>
 *
 * It counts each turn's storage requests (matched to the turn by the driver's
 * `x-bench-turn` header through AsyncLocalStorage, so overlapping turns stay apart) and
 * answers the driver's questions about its CPU and memory over IPC.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type http from "node:http";
import { performance } from "node:perf_hooks";
import { TableClient } from "@azure/data-tables";
import { Application, TeamsAdapter, TurnState } from "@microsoft/teams-ai";
import type { TurnContext } from "botbuilder";
import { createLogger } from "../src/logger.js";
import type { FieldCipher } from "../src/storage/field-cipher.js";
import { createHost, listen } from "../src/teams/server.js";
import {
  ENCRYPTION_KEY,
  FLOOR_ROW,
  FLOOR_TABLE,
  TIME_ZONE,
  TURN_HEADER,
  type Side,
  type SideReply,
  type SideRequest,
  type TurnStorage,
} from "./world.js";

interface TurnProbe {
  calls: number;
  intervals: [number, number][];
  decryptions: number;
}

const current = new AsyncLocalStorage<TurnProbe>();
let turns = new Map<string, TurnProbe>();
let untracked = 0;

/** A policy at the wire end of each Azure SDK pipeline (after signing): every request that goes out. */
function watchStorage(client: TableClient): void {
  client.pipeline.addPolicy(
    {
      name: "bench-storage-probe",
      async sendRequest(request, next) {
        const turn = current.getStore();
        const interval: [number, number] = [performance.now(), Number.NaN];
        if (turn) {
          turn.calls++;
          turn.intervals.push(interval);
        } else {
          untracked++;
        }
        try {
          return await next(request);
        } finally {
          interval[1] = performance.now();
        }
      },
    },
    { afterPhase: "Sign" },
  );
}

/** Field decryptions per turn: a list that shows no case text should decrypt none of it. */
function watchDecryption(cipher: typeof FieldCipher): void {
  const decrypt = cipher.prototype.decrypt;
  cipher.prototype.decrypt = function (this: FieldCipher, sealed: string, context: string) {
    const turn = current.getStore();
    if (turn) turn.decryptions++;
    return decrypt.call(this, sealed, context);
  };
}

/**
 * Busy time and sequential rounds: overlapping requests are merged into one round, so
 * `rounds` is the number of storage round trips the turn waited for one after the other.
 */
function storageOf(probe: TurnProbe): TurnStorage {
  const done = probe.intervals.filter(([, end]) => Number.isFinite(end)).sort((a, b) => a[0] - b[0]);
  let busyMs = 0;
  let rounds = 0;
  let [from, to] = [Number.NaN, Number.NaN];
  for (const [start, end] of done) {
    if (Number.isNaN(from) || start > to) {
      if (!Number.isNaN(from)) busyMs += to - from;
      [from, to] = [start, end];
      rounds++;
    } else if (end > to) {
      to = end;
    }
  }
  if (!Number.isNaN(from)) busyMs += to - from;
  // The most requests one after another (earliest end first picks the most that do not overlap).
  let chain = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const [start, stop] of [...done].sort((a, b) => a[1] - b[1])) {
    if (start >= end) {
      chain++;
      end = stop;
    }
  }
  return { calls: probe.calls, rounds, chain, busyMs, decryptions: probe.decryptions };
}

/** Runs every request of the server inside its turn's probe. */
function probeRequests(server: http.Server): void {
  const handlers = server.listeners("request") as ((req: http.IncomingMessage, res: http.ServerResponse) => void)[];
  server.removeAllListeners("request");
  server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    const key = req.headers[TURN_HEADER];
    const probe: TurnProbe = { calls: 0, intervals: [], decryptions: 0 };
    if (typeof key === "string") turns.set(key, probe);
    current.run(probe, () => {
      for (const handler of handlers) handler.call(server, req, res);
    });
  });
}

const TINY_CARD = { type: "AdaptiveCard" as const, version: "1.5", body: [{ type: "TextBlock", text: "Modtaget" }] };

/** The floor: one Table Storage point read per turn, then an echo (message) or a tiny card (any card action). */
function echoApp(adapter: TeamsAdapter, table: TableClient): Application<TurnState> {
  const app = new Application<TurnState>({ adapter, removeRecipientMention: true, startTypingTimer: false, longRunningMessages: false });
  const oneRead = () => table.getEntity(FLOOR_TABLE, FLOOR_ROW);
  app.activity("message", async (ctx: TurnContext) => {
    await oneRead();
    await ctx.sendActivity(ctx.activity.text ?? "");
  });
  app.adaptiveCards.actionExecute(/.*/, async () => {
    await oneRead();
    return TINY_CARD;
  });
  return app;
}

async function start(side: Side, connectionString: string, tenantId: string): Promise<http.Server> {
  // BENCH_LOG=warn shows what goes wrong inside a side (e.g. a turn answered with an error text).
  const logger = createLogger(process.env["BENCH_LOG"] ?? "silent");
  const adapter = new TeamsAdapter({});
  let logic: (ctx: TurnContext) => Promise<void>;
  if (side === "floor") {
    const table = TableClient.fromConnectionString(connectionString, FLOOR_TABLE, { allowInsecureConnection: true });
    watchStorage(table);
    const app = echoApp(adapter, table);
    logic = (ctx) => app.run(ctx).then(() => undefined);
  } else {
    // Loaded here, not at the top: the floor process loads none of the bot's code.
    const [{ wireSparring }, { FieldCipher: cipher }, { openTables }, { createBot }, { benchMunicipality }] = await Promise.all([
      import("../src/sparring.js"),
      import("../src/storage/field-cipher.js"),
      import("../src/storage/table-storage.js"),
      import("../src/teams/app.js"),
      import("./bench-municipality.js"),
    ]);
    const municipality = benchMunicipality(tenantId);
    const tables = await openTables(connectionString);
    for (const client of Object.values(tables)) if (client instanceof TableClient) watchStorage(client);
    watchDecryption(cipher);
    const { deps } = wireSparring({
      tables,
      adapter,
      encryptionKey: ENCRYPTION_KEY,
      timeZone: TIME_ZONE,
      municipalities: new Map([[tenantId, municipality]]),
      logger,
      clock: { now: () => new Date() },
    });
    const bot = createBot(deps);
    logic = (ctx) => bot.run(ctx).then(() => undefined);
  }
  const server = createHost({
    adapter,
    logic,
    localOnly: true,
    allowedTenants: new Set([tenantId]),
    health: async () => ({ storage: true }),
    logger,
  });
  probeRequests(server);
  await listen(server, 0, "127.0.0.1");
  return server;
}

function reply(message: SideReply): void {
  process.send?.(message);
}

function usage(id: number, take: boolean): SideReply {
  const cpu = process.cpuUsage();
  const out: SideReply = {
    id,
    kind: "usage",
    cpuUs: cpu.user + cpu.system,
    rssBytes: process.memoryUsage.rss(),
    maxRssKb: process.resourceUsage().maxRSS,
  };
  if (take) {
    out.turns = Object.fromEntries([...turns].map(([key, probe]) => [key, storageOf(probe)]));
    out.untracked = untracked;
    turns = new Map();
    untracked = 0;
  }
  return out;
}

async function main(): Promise<void> {
  const [side, connectionString, tenantId] = process.argv.slice(2);
  if ((side !== "floor" && side !== "bot") || !connectionString || !tenantId || !process.send) {
    throw new Error("side.ts is started by bench/turn-cost.ts: side.ts <floor|bot> <connection string> <tenant id>");
  }
  const server = await start(side, connectionString, tenantId);
  const address = server.address() as { port: number };
  process.on("message", (message: SideRequest) => {
    switch (message.kind) {
      case "usage":
      case "take":
        return reply(usage(message.id, message.kind === "take"));
      case "stop":
        server.closeAllConnections();
        server.close(() => {
          reply({ id: message.id, kind: "stopped" });
          process.disconnect();
        });
        return;
    }
  });
  reply({ kind: "ready", url: `http://127.0.0.1:${address.port}/api/messages` });
}

main().catch((error: unknown) => {
  reply({ kind: "failed", message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
  process.disconnect?.();
});
