import { loadConfigOrExit } from "./config.js";
import { createLogger, routeConsoleToLogger } from "./logger.js";
import { startSparring } from "./sparring.js";

/** Production entry point (App Service runs `node dist/src/main.js`). */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  routeConsoleToLogger(logger);
  if (config.storage.kind !== "connection-string") {
    process.stderr.write("Sparring cannot start: STORAGE_CONNECTION_STRING is not set. For local development run `npm start`, which starts the Azurite emulator.\n");
    process.exit(2);
  }
  const running = await startSparring(config, logger, config.storage.connectionString);
  const shutdown = () => {
    logger.info("shutting down");
    running.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

void main();
