import { TeamsAdapter } from "@microsoft/teams-ai";
import type { Server } from "node:http";
import type { Config } from "./config.js";
import type { Logger } from "./logger.js";
import { FieldCipher } from "./storage/field-cipher.js";
import { TableAddressBook } from "./storage/table-address-book.js";
import { TableCaseRepository } from "./storage/table-case-repository.js";
import { TableMeetingRepository } from "./storage/table-meeting-repository.js";
import { forumCalendar } from "./domain/forum-calendar.js";
import { openTables, storageReachable, type TableClients } from "./storage/table-storage.js";
import type { Clock } from "./domain/ports.js";
import { createBot } from "./teams/app.js";
import { createHost, listen } from "./teams/server.js";
import { createEntraTokenVerifier } from "./teams/entra-token.js";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { publishDueAgendas, rollOverEndedMeetings } from "./domain/meeting-jobs.js";
import { Scheduler } from "./jobs/scheduler.js";
import { TableLeases } from "./storage/table-leases.js";
import { TableOutbox } from "./storage/table-outbox.js";
import type { Municipality } from "./domain/municipality.js";
import type { BotDeps } from "./teams/bot-deps.js";
import { OutboxDispatcher } from "./teams/outbox-dispatcher.js";
import { renderNotification, resolveTarget } from "./teams/render-notification.js";

export interface RunningSparring {
  port: number;
  server: Server;
  stop(): Promise<void>;
}

/**
 * Composition root: storage, adapter, bot and HTTP host, wired from one parsed config.
 * Storage is reached with `connectionString`: the configured one in production, or the
 * emulator the local launcher started (`src/dev/`).
 */
export async function startSparring(config: Config, logger: Logger, connectionString: string): Promise<RunningSparring> {
  const tables = await openTables(connectionString);
  const adapter = new TeamsAdapter(
    config.bot
      ? {
          MicrosoftAppId: config.bot.appId,
          MicrosoftAppPassword: config.bot.appPassword,
          MicrosoftAppType: config.bot.appType,
          MicrosoftAppTenantId: config.bot.tenantId,
        }
      : {},
  );
  const { deps, outbox } = wireSparring({
    tables,
    adapter,
    encryptionKey: config.encryptionKey,
    timeZone: config.timeZone,
    municipalities: config.municipalities,
    logger,
    clock: { now: () => new Date() },
  });
  const bot = createBot(deps);
  const background = startBackgroundWork(deps, outbox, new TableLeases(tables.leases), config.bot?.appId ?? "");
  const server = createHost({
    adapter,
    logic: (context) => bot.run(context).then(() => undefined),
    localOnly: config.bot === undefined,
    allowedTenants: new Set(config.municipalities.keys()),
    health: async () => ({ storage: await storageReachable(tables) }),
    logger,
    // The route answers 404 until `bostotteEvents` (the domain use case) is passed here.
    verifyBostotteToken:
      config.bostotteApi.audiences.length > 0
        ? createEntraTokenVerifier({
            jwksUrl: config.bostotteApi.jwksUrl,
            audiences: config.bostotteApi.audiences,
            allowedTenants: new Set(config.municipalities.keys()),
            // Until the municipality configuration lists its caller apps, none is allowed (403).
            allowedCallers: () => [],
          })
        : undefined,
    bostotteLocalKey: config.bostotteApi.localKey,
  });
  const port = await listen(server, config.port, config.host);
  logger.info({ port, host: config.host, mode: config.bot ? "production" : "local" }, "Sparring listening");
  return {
    port,
    server,
    async stop() {
      await background.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}

/** Repositories and edge dependencies over one set of tables; shared by production and tests. */
export function wireSparring(o: {
  tables: Pick<TableClients, "cases" | "caseIndex" | "addresses" | "outbox">;
  adapter: TeamsAdapter;
  encryptionKey: Buffer;
  timeZone: string;
  municipalities: ReadonlyMap<string, Municipality>;
  logger: Logger;
  clock: Clock;
}): { deps: BotDeps; outbox: TableOutbox } {
  const outbox = new TableOutbox(o.tables.cases, o.tables.outbox);
  const deps: BotDeps = {
    adapter: o.adapter,
    cases: new TableCaseRepository(o.tables.cases, o.tables.caseIndex, new FieldCipher(o.encryptionKey), outbox),
    meetings: new TableMeetingRepository(o.tables.cases, outbox),
    calendar: forumCalendar(o.timeZone),
    addresses: new TableAddressBook(o.tables.addresses),
    clock: o.clock,
    timeZone: o.timeZone,
    municipalities: o.municipalities,
    logger: o.logger,
  };
  return { deps, outbox };
}

export function createDispatcher(deps: BotDeps, outbox: TableOutbox, botAppId: string): OutboxDispatcher {
  return new OutboxDispatcher({
    outbox,
    tenants: () => [...deps.municipalities.keys()],
    resolve: (tenantId, target) => resolveTarget(deps, tenantId, target),
    render: (message) => renderNotification(deps, message),
    adapter: deps.adapter,
    botAppId,
    onSent: async (message, activityId) => {
      if (message.content.kind === "case-card" && activityId) await deps.cases.rememberChannelCard(message.tenantId, message.content.caseNo, activityId);
    },
    clock: deps.clock,
    logger: deps.logger,
  });
}

const DISPATCH_EVERY_MS = 2_000;
const AGENDAS_EVERY_MS = 30_000;
const ROLL_OVER_EVERY_MS = 5 * 60_000;

/**
 * The outbox dispatcher (on every instance: each message is claimed by one) and the
 * scheduled jobs (each on one instance at a time, by lease).
 */
export function startBackgroundWork(deps: BotDeps, outbox: TableOutbox, leases: TableLeases, botAppId: string) {
  const dispatcher = createDispatcher(deps, outbox, botAppId);
  dispatcher.start(DISPATCH_EVERY_MS);
  const scheduler = new Scheduler({ leases, holder: `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`, now: () => deps.clock.now(), logger: deps.logger });
  const forEachMunicipality = (job: (m: Municipality) => Promise<unknown>) => async () => {
    for (const municipality of deps.municipalities.values()) await job(municipality);
  };
  scheduler.every("publish-agendas", AGENDAS_EVERY_MS, forEachMunicipality((m) => publishDueAgendas(deps, m)));
  scheduler.every("roll-over-meetings", ROLL_OVER_EVERY_MS, forEachMunicipality((m) => rollOverEndedMeetings(deps, m)));
  return {
    dispatcher,
    scheduler,
    async stop() {
      await scheduler.stop();
      await dispatcher.stop();
    },
  };
}
