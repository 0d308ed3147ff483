import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";

/** Azurite's well-known development account; public, documented, local only. */
const DEV_ACCOUNT = "devstoreaccount1";
const DEV_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface RunningAzurite {
  connectionString: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts the Table Storage emulator as a child process. `location` keeps data on disk
 * (so a restart loses nothing); without it data lives in memory (tests).
 */
export async function startAzurite(options: { port?: number; location?: string }): Promise<RunningAzurite> {
  const port = options.port && options.port > 0 ? options.port : await freePort();
  const require = createRequire(import.meta.url);
  const main = path.join(path.dirname(require.resolve("azurite/package.json")), "dist/src/table/main.js");
  const args = [
    main,
    "--tableHost",
    "127.0.0.1",
    "--tablePort",
    String(port),
    "--silent",
    "--disableTelemetry",
    "--skipApiVersionCheck",
    "--loose",
  ];
  if (options.location) {
    mkdirSync(options.location, { recursive: true });
    args.push("--location", options.location);
  } else {
    args.push("--inMemoryPersistence");
  }
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  await waitUntilListening(child, port);
  return {
    port,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};TableEndpoint=http://127.0.0.1:${port}/${DEV_ACCOUNT};`,
    // SIGINT: Azurite's own shutdown, which writes its tables to disk. On SIGTERM it exits at
    // once and loses what it wrote since its last save (every 5 s), which a restart would miss.
    stop: () => stopChild(child, "SIGINT"),
  };
}

/**
 * The storage the local launchers run on: the configured connection string, or Azurite
 * started here with its data kept under DATA_DIR (so a restart loses nothing).
 */
export async function localStorage(config: Config, logger: Logger): Promise<{ connectionString: string; stop(): Promise<void> }> {
  if (config.storage.kind === "connection-string")
    return { connectionString: config.storage.connectionString, stop: async () => undefined };
  if (config.storage.kind === "account-url")
    throw new Error(
      "STORAGE_ACCOUNT_URL is for production (`npm run start:prod`); locally leave it empty (Azurite) or set STORAGE_CONNECTION_STRING.",
    );
  const azurite = await startAzurite({ port: config.storage.port, location: config.storage.location });
  logger.info({ port: azurite.port, location: config.storage.location }, "Azurite started");
  return azurite;
}

function waitUntilListening(child: ChildProcess, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`Azurite did not start on port ${port}: ${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("successfully started")) {
        clearTimeout(timer);
        child.stdout?.off("data", onData);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited with code ${code} before listening on port ${port}: ${output.trim()}`));
    });
  });
}

/** Stops a child process with `signal`, and with SIGKILL if it is still running 5 s later. */
export function stopChild(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill(signal);
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
