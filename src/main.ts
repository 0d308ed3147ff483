import { ConfigError, loadConfig } from "./config.js";
import { createLogger } from "./logger.js";
import { startSparring } from "./sparring.js";

/** Production entry point (App Service runs `node dist/src/main.js`). */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
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
