import path from "node:path";
import { loadConfigOrExit } from "../config.js";
import { stopChild } from "./azurite.js";
import { DEMO_USERS, demoUserFromArgs } from "./demo-tenant.js";
import { startPlayground } from "./playground.js";

/**
 * `npm run playground -- --as caseworker --port 56151`: a second Playground, signed in as
 * another demo user, against the bot that `npm start` is running. Two people at once:
 * replies and proactive messages go to the Playground each conversation came from.
 */
async function main(): Promise<void> {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const current = demoUserFromArgs(process.argv);
  const config = loadConfigOrExit();
  const port = Number(arg("--port") ?? config.playgroundPort + 1);
  const playground = await startPlayground({
    dataDir: config.dataDir,
    port,
    botEndpoint: `http://127.0.0.1:${config.port}/api/messages`,
    current,
  });
  const user = DEMO_USERS[current];
  console.log(`\n  Åbn http://localhost:${port} — du er ${user.name} (${user.role}). Sparring skal køre (npm start). Stop med Ctrl-C.\n`);
  const stop = () => void stopChild(playground).then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  playground.once("exit", (code) => {
    console.error(`The Playground stopped (exit code ${code}). See ${path.join(config.dataDir, "playground.log")}.`);
    process.exit(1);
  });
}

void main();
