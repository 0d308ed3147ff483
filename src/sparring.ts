import { DefaultAzureCredential, ManagedIdentityCredential } from "@azure/identity";
import { TeamsAdapter } from "@microsoft/teams-ai";
import { CallerIdConstants, type ConfigurationBotFrameworkAuthenticationOptions } from "botbuilder";
// botbuilder's own connector (same version); it does not re-export the public cloud's constants.
import { AuthenticationConstants } from "botframework-connector";
import type { Server } from "node:http";
import { ConfigError, type Config, type StorageSetting } from "./config.js";
import type { RoleDirectorySetting } from "./config.js";
import { CachedDirectory } from "./directory/cached-directory.js";
import { GraphDirectory } from "./directory/graph-directory.js";
import { LocalDirectory } from "./directory/local-directory.js";
import { withDirectoryRoles, type Directory } from "./domain/roles.js";
import type { Logger } from "./logger.js";
import { FieldCipher } from "./storage/field-cipher.js";
import { TableAddressBook } from "./storage/table-address-book.js";
import { TableCaseRepository } from "./storage/table-case-repository.js";
import { TableCitizenRepository } from "./storage/table-citizen-repository.js";
import { TablePlanRepository } from "./storage/table-plan-repository.js";
import { TablePrivacyStore } from "./storage/table-privacy-store.js";
import { applyRetention } from "./domain/retention.js";
import { remindPlanFollowUps } from "./domain/plan-follow-ups.js";
import { TableMeetingRepository } from "./storage/table-meeting-repository.js";
import { forumCalendar } from "./domain/forum-calendar.js";
import { openTables, storageReachable, type TableAccess, type TableClients } from "./storage/table-storage.js";
import type { Clock } from "./domain/ports.js";
import { createBot } from "./teams/app.js";
import { botFrameworkAuthenticator, createHost, listen, RequestGate } from "./teams/server.js";
import { createEntraTokenVerifier } from "./teams/entra-token.js";
import { bostotteEvents } from "./teams/bostotte-events.js";
import { notifyTargetGroupChanges } from "./domain/target-group-change.js";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { publishDueAgendas, rollOverEndedMeetings } from "./domain/meeting-jobs.js";
import { Scheduler } from "./jobs/scheduler.js";
import { TableLeases } from "./storage/table-leases.js";
import { TableOutbox } from "./storage/table-outbox.js";
import { TableOverviewLog } from "./storage/table-overview-log.js";
import { sendScheduledOverviews } from "./domain/overview-use-cases.js";
import { keepOverviewSummaries } from "./domain/overview-summaries.js";
import type { Municipality } from "./domain/municipality.js";
import type { BotDeps } from "./teams/bot-deps.js";
import { OutboxDispatcher } from "./teams/outbox-dispatcher.js";
import { renderNotification, resolveTarget } from "./teams/render-notification.js";

export interface RunningSparring {
  port: number;
  server: Server;
  /**
   * Drains and stops: readiness turns 503 and new requests are refused (503, Retry-After)
   * at once; turns in flight get up to {@link DRAIN_TIMEOUT_MS} to finish while the
   * scheduler (giving back its job leases) and the outbox dispatcher (after the message it
   * is sending) stop; then the server closes. Calling it again returns the same promise.
   */
  stop(): Promise<void>;
}

/** How long turns in flight may take to finish on shutdown; Teams itself gives up on a turn after 15 s. */
export const DRAIN_TIMEOUT_MS = 10_000;

/**
 * Composition root: storage, adapter, bot and HTTP host, wired from one parsed config.
 * Storage is reached as configured ({@link configuredTableAccess}) unless `storage` says
 * otherwise: the local launcher (`src/dev/`) and tests pass the connection string of the
 * emulator they started.
 */
export async function startSparring(
  config: Config,
  logger: Logger,
  storage: TableAccess = configuredTableAccess(config.storage),
): Promise<RunningSparring> {
  const tables = await openTables(storage);
  const botAuthentication = config.bot ? botAuthenticationOptions(config.bot) : undefined;
  const adapter = new TeamsAdapter(botAuthentication ?? {});
  const { deps, outbox } = wireSparring({
    tables,
    adapter,
    encryptionKey: config.encryptionKey,
    cprLookupKey: config.cprLookupKey,
    timeZone: config.timeZone,
    municipalities: config.municipalities,
    logger,
    clock: { now: () => new Date() },
    directory: roleDirectory(config.roles, { now: () => new Date() }),
  });
  const bot = createBot(deps);
  const background = startBackgroundWork(deps, outbox, new TableLeases(tables.leases), config.bot?.appId ?? "");
  const gate = new RequestGate();
  const server = createHost({
    gate,
    adapter,
    logic: (context) => bot.run(context).then(() => undefined),
    localOnly: config.bot === undefined,
    authenticate: botAuthentication ? botFrameworkAuthenticator(botAuthentication) : undefined,
    allowedTenants: new Set(config.municipalities.keys()),
    health: async () => ({ storage: await storageReachable(tables) }),
    logger,
    bostotteEvents: bostotteEvents(deps),
    verifyBostotteToken:
      config.bostotteApi.audiences.length > 0
        ? createEntraTokenVerifier({
            jwksUrl: config.bostotteApi.jwksUrl,
            audiences: config.bostotteApi.audiences,
            allowedTenants: new Set(config.municipalities.keys()),
            // The municipality's case system (or integration platform): its Entra app ids.
            allowedCallers: (tenantId) => config.municipalities.get(tenantId)?.bostotte.callerAppIds ?? [],
          })
        : undefined,
    bostotteLocalKey: config.bostotteApi.localKey,
  });
  const port = await listen(server, config.port, config.host);
  logger.info({ port, host: config.host, mode: config.bot ? "production" : "local" }, "Sparring listening");
  let stopped: Promise<void> | undefined;
  const stop = async () => {
    logger.info("draining: refusing new requests, finishing turns in flight");
    // Background work stops alongside the drain; what it leaves is picked up by the next instance.
    const [unfinished] = await Promise.all([gate.drain(DRAIN_TIMEOUT_MS), background.stop()]);
    if (unfinished > 0) logger.warn({ unfinished }, "turns still running after the drain period; closing anyway");
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
    logger.info("stopped");
  };
  return {
    port,
    server,
    stop: () => (stopped ??= stop()),
  };
}

/**
 * The bot's credentials and token settings, for the adapter and the host's own check alike.
 * botbuilder reads any one of the endpoint settings as "a complete custom cloud": when an
 * override is configured, the others are given their public-cloud values explicitly.
 */
export function botAuthenticationOptions(bot: NonNullable<Config["bot"]>): ConfigurationBotFrameworkAuthenticationOptions {
  const credentials = {
    MicrosoftAppId: bot.appId,
    MicrosoftAppPassword: bot.appPassword,
    MicrosoftAppType: bot.appType,
    MicrosoftAppTenantId: bot.tenantId,
  };
  if (!bot.openIdMetadataUrl && !bot.tokenIssuer) return credentials;
  return {
    ...credentials,
    ToBotFromChannelOpenIdMetadataUrl: bot.openIdMetadataUrl ?? AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
    ToBotFromChannelTokenIssuer: bot.tokenIssuer ?? AuthenticationConstants.ToBotFromChannelTokenIssuer,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
  };
}

/**
 * The configured Table Storage: by account URL with the app's managed identity (the
 * user-assigned one when its client id is configured), or by connection string.
 */
export function configuredTableAccess(storage: StorageSetting): TableAccess {
  switch (storage.kind) {
    case "account-url":
      return {
        accountUrl: storage.accountUrl,
        credential: storage.clientId ? new ManagedIdentityCredential({ clientId: storage.clientId }) : new DefaultAzureCredential(),
      };
    case "connection-string":
      return { connectionString: storage.connectionString };
    case "local-emulator":
      throw new ConfigError(
        "Sparring cannot start: no storage is configured. Set STORAGE_ACCOUNT_URL (or STORAGE_CONNECTION_STRING); for local development run `npm start`, which starts the Azurite emulator.",
      );
  }
}

/**
 * Where the role lists' entries are looked up (SPEC §1): Microsoft Graph with the app's
 * managed identity (the user-assigned one when its client id is configured), what it said
 * kept for ROLE_CACHE_SECONDS; or the configuration's object ids alone.
 */
export function roleDirectory(setting: RoleDirectorySetting, clock: Clock): Directory {
  if (setting.directory === "config") return new LocalDirectory();
  const credential = setting.clientId ? new ManagedIdentityCredential({ clientId: setting.clientId }) : new DefaultAzureCredential();
  const scope = `${new URL(setting.graphBaseUrl).origin}/.default`;
  const graph = new GraphDirectory({
    baseUrl: setting.graphBaseUrl,
    // App-only. A managed identity gets tokens for its own tenant: Graph is asked there (README).
    token: async () => {
      const token = await credential.getToken(scope);
      if (!token) throw new Error("no token for Microsoft Graph");
      return token.token;
    },
  });
  return new CachedDirectory(graph, setting.cacheSeconds * 1000, clock);
}

/** Repositories and edge dependencies over one set of tables; shared by production and tests. */
export function wireSparring(o: {
  tables: Pick<TableClients, "cases" | "caseIndex" | "addresses" | "outbox">;
  adapter: TeamsAdapter;
  encryptionKey: Buffer;
  /** Without it the look-up key is derived from `encryptionKey` (tests; see FieldCipher). */
  cprLookupKey?: Buffer;
  timeZone: string;
  municipalities: ReadonlyMap<string, Municipality>;
  logger: Logger;
  clock: Clock;
  /** Where role lists are looked up (see {@link roleDirectory}); without it, the object ids as configured. */
  directory?: Directory;
}): { deps: BotDeps; outbox: TableOutbox } {
  const outbox = new TableOutbox(o.tables.cases, o.tables.outbox);
  const cipher = new FieldCipher(o.encryptionKey, o.cprLookupKey);
  const deps: BotDeps = {
    adapter: o.adapter,
    cases: new TableCaseRepository(o.tables.cases, o.tables.caseIndex, cipher, outbox),
    meetings: new TableMeetingRepository(o.tables.cases, outbox),
    calendar: forumCalendar(o.timeZone),
    addresses: new TableAddressBook(o.tables.addresses),
    citizens: new TableCitizenRepository(o.tables.cases, o.tables.caseIndex, cipher, outbox),
    plans: new TablePlanRepository(o.tables.cases, o.tables.caseIndex, cipher, outbox),
    outbox,
    overview: new TableOverviewLog(o.tables.caseIndex, o.tables.cases, outbox),
    privacy: new TablePrivacyStore(o.tables.cases, o.tables.caseIndex, cipher, outbox),
    clock: o.clock,
    timeZone: o.timeZone,
    municipalities: o.municipalities,
    directory: o.directory ?? new LocalDirectory(),
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
      if (message.content.kind === "case-card" && activityId)
        await deps.cases.rememberChannelCard(message.tenantId, message.content.caseNo, activityId);
    },
    clock: deps.clock,
    logger: deps.logger,
  });
}

const DISPATCH_EVERY_MS = 2_000;
const AGENDAS_EVERY_MS = 30_000;
const ROLL_OVER_EVERY_MS = 5 * 60_000;
const TARGET_GROUP_EVERY_MS = 15 * 60_000;
const PLAN_FOLLOW_UPS_EVERY_MS = 10 * 60_000;
const OVERVIEWS_EVERY_MS = 5 * 60_000;
const OVERVIEW_SUMMARIES_EVERY_MS = 60 * 60_000;
/** Retention runs daily (and at start-up); what is due waits at most a day. */
const RETENTION_EVERY_MS = 24 * 3_600_000;

/**
 * The outbox dispatcher (on every instance: each message is claimed by one) and the
 * scheduled jobs (each on one instance at a time, by lease).
 */
export function startBackgroundWork(deps: BotDeps, outbox: TableOutbox, leases: TableLeases, botAppId: string) {
  const dispatcher = createDispatcher(deps, outbox, botAppId);
  dispatcher.start(DISPATCH_EVERY_MS);
  const scheduler = new Scheduler({
    leases,
    holder: `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`,
    now: () => deps.clock.now(),
    logger: deps.logger,
  });
  const forEachMunicipality = (job: (m: Municipality) => Promise<unknown>) => async () => {
    for (const municipality of deps.municipalities.values()) await job(municipality);
  };
  scheduler.every(
    "publish-agendas",
    AGENDAS_EVERY_MS,
    forEachMunicipality((m) => publishDueAgendas(deps, m)),
  );
  scheduler.every(
    "roll-over-meetings",
    ROLL_OVER_EVERY_MS,
    forEachMunicipality((m) => rollOverEndedMeetings(deps, m)),
  );
  // Målgruppeskift: both caseworkers told once on the birthday (seed 001 "gensidig orientering").
  scheduler.every(
    "target-group-changes",
    TARGET_GROUP_EVERY_MS,
    forEachMunicipality((m) => notifyTargetGroupChanges(deps, m)),
  );
  // The joint plans' follow-up dates: both owners told once; the forum follow-up booked (SPEC §5, §7; seed 002).
  scheduler.every(
    "plan-follow-ups",
    PLAN_FOLLOW_UPS_EVERY_MS,
    forEachMunicipality((m) => remindPlanFollowUps(deps, m)),
  );
  // The managers' overview on each municipality's schedule, once per manager and period (SPEC §8).
  scheduler.every(
    "manager-overviews",
    OVERVIEWS_EVERY_MS,
    // Managers by Entra ID group count too; when the directory cannot be asked the run fails and the next one catches up.
    forEachMunicipality(async (m) => sendScheduledOverviews(deps, await withDirectoryRoles(deps, m))),
  );
  // The overview's summaries of settled days and months, made before a manager asks (src/domain/overview-summaries.ts).
  scheduler.every(
    "overview-summaries",
    OVERVIEW_SUMMARIES_EVERY_MS,
    forEachMunicipality((m) => keepOverviewSummaries(deps.overview, m.tenantId, deps.clock.now(), deps.timeZone)),
  );
  // Retention (SPEC §9): personal data of cases over for the configured period, and audit rows past theirs.
  scheduler.every(
    "retention",
    RETENTION_EVERY_MS,
    forEachMunicipality(async (m) => {
      const run = await applyRetention(deps, m);
      deps.logger.info(
        {
          tenant: m.tenantId,
          anonymised: run.anonymisedCases.length,
          citizens: run.erasedCitizens.length,
          auditRows: run.auditRowsDeleted,
        },
        "retention ran",
      );
    }),
  );
  return {
    dispatcher,
    scheduler,
    async stop() {
      await scheduler.stop();
      await dispatcher.stop();
    },
  };
}
