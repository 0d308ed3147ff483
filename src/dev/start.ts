import path from "node:path";
import { loadConfigOrExit } from "../config.js";
import { createLogger } from "../logger.js";
import { startSparring } from "../sparring.js";
import { localStorage, stopChild } from "./azurite.js";
import { DEMO_USERS, demoUserFromArgs } from "./demo-tenant.js";
import { startPlayground } from "./playground.js";

/**
 * `npm start`: Azurite (data in .data/), the bot on :3978 and the Microsoft 365 Agents
 * Playground on :56150 with the demo tenant. `npm start -- --as coordinator` signs in
 * as another demo user against the same bot and data.
 */
async function main(): Promise<void> {
  const current = demoUserFromArgs(process.argv);
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  const storage = await localStorage(config, logger);
  const sparring = await startSparring(config, logger, storage.connectionString);
  const playground = await startPlayground({
    dataDir: config.dataDir,
    port: config.playgroundPort,
    botEndpoint: `http://127.0.0.1:${sparring.port}/api/messages`,
    current,
  });

  const user = DEMO_USERS[current];
  console.log(
    `\n  Sparring kører.\n  Åbn http://localhost:${config.playgroundPort} — du er logget ind som ${user.name} (${user.role}).\n  Stop med Ctrl-C.\n`,
  );

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log("\n  Stopper Sparring …");
    await stopChild(playground);
    await sparring.stop();
    await storage.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
  playground.once("exit", (code) => {
    if (!stopping) {
      console.error(`The Playground stopped unexpectedly (exit code ${code}). See ${path.join(config.dataDir, "playground.log")}.`);
      void stop();
    }
  });
}

void main();
