import { TeamsAdapter } from "@microsoft/teams-ai";
import type { Server } from "node:http";
import type { Config } from "./config.js";
import { startAzurite, type RunningAzurite } from "./dev/azurite.js";
import type { Logger } from "./logger.js";
import { FieldCipher } from "./storage/field-cipher.js";
import { TableAddressBook } from "./storage/table-address-book.js";
import { TableCaseRepository } from "./storage/table-case-repository.js";
import { TableMeetingRepository } from "./storage/table-meeting-repository.js";
import { forumCalendar } from "./domain/forum-calendar.js";
import { openTables, storageReachable } from "./storage/table-storage.js";
import { createBot } from "./teams/app.js";
import { createHost, listen } from "./teams/server.js";

export interface RunningSparring {
  port: number;
  server: Server;
  stop(): Promise<void>;
}

/** Composition root: storage, adapter, bot and HTTP host, wired from one parsed config. */
export async function startSparring(config: Config, logger: Logger): Promise<RunningSparring> {
  let azurite: RunningAzurite | undefined;
  let connectionString: string;
  if (config.storage.kind === "local-emulator") {
    azurite = await startAzurite({ port: config.storage.port, location: config.storage.location });
    connectionString = azurite.connectionString;
    logger.info({ port: azurite.port, location: config.storage.location }, "Azurite started");
  } else {
    connectionString = config.storage.connectionString;
  }

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
  const bot = createBot({
    adapter,
    cases: new TableCaseRepository(tables.cases, tables.caseIndex, new FieldCipher(config.encryptionKey)),
    meetings: new TableMeetingRepository(tables.cases),
    calendar: forumCalendar(config.timeZone),
    addresses: new TableAddressBook(tables.addresses),
    clock: { now: () => new Date() },
    timeZone: config.timeZone,
    municipalities: config.municipalities,
    logger,
  });
  const server = createHost({
    adapter,
    logic: (context) => bot.run(context).then(() => undefined),
    localOnly: config.bot === undefined,
    allowedTenants: new Set(config.municipalities.keys()),
    health: async () => ({ storage: await storageReachable(tables) }),
    logger,
  });
  const port = await listen(server, config.port, config.host);
  logger.info({ port, host: config.host, mode: config.bot ? "production" : "local" }, "Sparring listening");
  return {
    port,
    server,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await azurite?.stop();
    },
  };
}
