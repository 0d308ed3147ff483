import { loadConfigOrExit } from "./config.js";
import { createLogger } from "./logger.js";
import { startSparring } from "./sparring.js";

/** Production entry point (App Service runs `node dist/src/main.js`). */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  const running = await startSparring(config, logger);
  const shutdown = () => {
    logger.info("shutting down");
    running.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

void main();
