import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { childEnvironment } from "../config.js";
import { playgroundConfig, type DemoUserKey } from "./demo-tenant.js";

/**
 * Starts the Microsoft 365 Agents Playground against the bot, signed in as one demo
 * user. Its config file is written under `dataDir/playground/`.
 */
export async function startPlayground(o: {
  dataDir: string;
  port: number;
  botEndpoint: string;
  current: DemoUserKey;
}): Promise<ChildProcess> {
  const dir = path.join(o.dataDir, "playground");
  mkdirSync(dir, { recursive: true });
  const configFile = path.join(dir, `${o.current}.yml`);
  writeFileSync(configFile, JSON.stringify(playgroundConfig(o.current, `personal-${o.current}`), null, 2));
  const require = createRequire(import.meta.url);
  const cli = path.join(path.dirname(require.resolve("@microsoft/m365agentsplayground/package.json")), "cli.js");
  const child = spawn(
    process.execPath,
    [cli, "--app-endpoint", o.botEndpoint, "--port", String(o.port), "--channel-id", "msteams", "--disable-telemetry"],
    {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
      env: childEnvironment({
        TEAMSAPPTESTER_BROWSER: "none",
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: configFile,
        M365_AGENTS_PLAYGROUND_LOGFILE: path.join(o.dataDir, "playground.log"),
      }),
    },
  );
  await new Promise<void>((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`The Playground did not start: ${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/listening|started|http:\/\/localhost:\d+/i.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`The Playground exited (${code}): ${output}`)));
  });
  return child;
}
