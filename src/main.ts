import { loadConfigOrExit } from "./config.js";
import { createLogger, routeConsoleToLogger, scrub } from "./logger.js";
import { startTelemetry } from "./telemetry.js";

/** Production entry point (App Service runs `node dist/src/main.js`). */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  // Telemetry first: its HTTP instrumentation must be in place before the bot's modules load.
  const telemetry = await startTelemetry(config.telemetry);
  const logger = createLogger(config.logLevel, telemetry?.logDestination);
  routeConsoleToLogger(logger);
  if (config.storage.kind === "local-emulator") {
    process.stderr.write(
      "Sparring cannot start: no storage is configured. Set STORAGE_ACCOUNT_URL (Table Storage reached with the app's managed identity) or STORAGE_CONNECTION_STRING. For local development run `npm start`, which starts the Azurite emulator.\n",
    );
    process.exit(2);
  }
  const { startSparring } = await import("./sparring.js");
  const running = await startSparring(config, logger);

  // App Service sends SIGTERM before it stops an instance (deploy, scale-in, restart).
  const shutdown = (signal: NodeJS.Signals) => {
    logger.info({ signal }, "shutting down");
    running
      .stop()
      .then(() => telemetry?.shutdown().catch((error: unknown) => logger.warn({ err: error }, "could not send the last telemetry")))
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, "shutdown failed");
          process.exit(1);
        },
      );
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((error: unknown) => {
  // Before the logger exists, or when storage refuses the app's identity: say why, briefly and scrubbed.
  process.stderr.write(`Sparring could not start: ${String(scrub(error instanceof Error ? error.message : error))}\n`);
  process.exit(1);
});
