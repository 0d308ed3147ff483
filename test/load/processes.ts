import { spawn, type ChildProcess } from "node:child_process";
import { openSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startAzurite, type RunningAzurite } from "../../src/dev/azurite.js";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Azurite as a child process with its data on disk, so it can be stopped and started
 * again (the fault test) on the same port and data directory without losing anything.
 */
export class AzuriteProcess {
  private running: RunningAzurite | undefined;
  private pid: number | undefined;
  /** CPU seconds of the incarnations that ended. */
  private cpuBefore = 0;
  private constructor(
    readonly port: number,
    readonly location: string,
    readonly connectionString: string,
    running: RunningAzurite,
  ) {
    this.running = running;
    this.pid = childPid("azurite");
  }

  /** CPU seconds (user + system) of every incarnation so far. */
  cpuSeconds(): number {
    return this.cpuBefore + (this.pid !== undefined ? (cpuSecondsOf(this.pid) ?? 0) : 0);
  }

  static async start(location: string): Promise<AzuriteProcess> {
    const running = await startAzurite({ location });
    return new AzuriteProcess(running.port, location, running.connectionString, running);
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** SIGTERM (Azurite writes its data to disk and exits), then SIGKILL after 5 s. */
  async stop(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    this.cpuBefore = this.cpuSeconds();
    this.pid = undefined;
    await running?.stop();
  }

  async restart(): Promise<void> {
    if (this.running) return;
    this.running = await startAzurite({ port: this.port, location: this.location });
    this.pid = childPid("azurite");
  }
}

/** How the bot process is started: production's entry point (`src/main.ts`, built), with these settings. */
export interface BotProcessOptions {
  /** The built `src/main.js` (see build-bot.ts). */
  entry: string;
  env: Record<string, string>;
  port: number;
  logFile: string;
}

/**
 * The real bot as its own process — `src/main.ts`, the production entry point, built to
 * JavaScript and run with node as production runs it — over the test's Azurite, in local mode (no BOT_APP_ID: loopback only, no Bot
 * Framework token). It can be killed (SIGKILL) and started again on the same port.
 */
export class BotProcess {
  private child: ChildProcess | undefined;
  /** The highest VmHWM (peak resident set) of every incarnation, in kB. */
  private peakKb = 0;
  private sampler: NodeJS.Timeout | undefined;
  /** CPU seconds of the incarnations that ended. */
  private cpuBefore = 0;
  starts = 0;
  /** Resident set of the first incarnation once ready, before any load (kB). */
  idleKb = 0;

  constructor(private readonly o: BotProcessOptions) {}

  /** A setting the bot runs with. */
  env(name: string): string {
    return this.o.env[name] ?? "";
  }

  get url(): string {
    return `http://127.0.0.1:${this.o.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    const log = openSync(this.o.logFile, "a");
    const child = spawn(process.execPath, [this.o.entry], {
      cwd: REPO,
      env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", ...this.o.env, PORT: String(this.o.port) },
      stdio: ["ignore", log, log],
    });
    this.child = child;
    this.starts++;
    const exited = new Promise<never>((_, reject) =>
      child.once("exit", (code, signal) => reject(new Error(`the bot exited during start-up (${code ?? signal}); see ${this.o.logFile}`))),
    );
    exited.catch(() => undefined);
    await Promise.race([this.waitUntilReady(60_000), exited]);
    if (this.starts === 1) this.idleKb = statusKb(child.pid!, "VmRSS") ?? 0;
    this.sampler = setInterval(() => this.samplePeak(), 500);
  }

  private async waitUntilReady(timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      try {
        const res = await fetch(`${this.url}/api/health/ready`, { signal: AbortSignal.timeout(2_000) });
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`the bot was not ready within ${timeoutMs / 1000} s; see ${this.o.logFile}`);
  }

  /** The peak resident set so far of the running incarnation (VmHWM), remembered across restarts. */
  samplePeak(): number {
    const pid = this.child?.pid;
    if (pid !== undefined && this.child?.exitCode === null && this.child.signalCode === null) {
      const kb = statusKb(pid, "VmHWM");
      if (kb !== undefined) this.peakKb = Math.max(this.peakKb, kb);
    }
    return this.peakKb;
  }

  /** CPU seconds (user + system) of every incarnation so far. */
  cpuSeconds(): number {
    const pid = this.child?.pid;
    return this.cpuBefore + (pid !== undefined ? (cpuSecondsOf(pid) ?? 0) : 0);
  }

  /** SIGKILL: no drain, no goodbye; what it was doing is cut off. */
  async kill(): Promise<void> {
    const child = this.child;
    this.samplePeak();
    this.cpuBefore = this.cpuSeconds();
    clearInterval(this.sampler);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGKILL");
    await exited;
  }

  /** SIGTERM: the bot drains (turns in flight finish, up to 10 s) and exits, as App Service stops it; SIGKILL after 15 s. */
  async stop(): Promise<void> {
    this.samplePeak();
    clearInterval(this.sampler);
    this.cpuBefore = this.cpuSeconds();
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const kill = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.kill("SIGTERM");
    await exited;
    clearTimeout(kill);
  }
}

/** A `kB` field of /proc/<pid>/status (Linux), e.g. VmHWM or VmRSS. */
export function statusKb(pid: number, field: string): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) a process has used so far (Linux /proc, clock ticks of 10 ms). */
export function cpuSecondsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** The pid of this process's child whose command line mentions `name` (e.g. Azurite, started by src/dev/azurite.ts). */
export function childPid(name: string): number | undefined {
  try {
    for (const task of readdirSync(`/proc/${process.pid}/task`)) {
      for (const child of readFileSync(`/proc/${process.pid}/task/${task}/children`, "utf8").trim().split(/\s+/)) {
        if (child && readFileSync(`/proc/${child}/cmdline`, "utf8").includes(name)) return Number(child);
      }
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * The framework's floor in memory: a node process that loads what every bot on this stack
 * loads (@microsoft/teams-ai, botbuilder, @azure/data-tables) and listens on a port, and
 * nothing of Sparring. Its resident set (kB), to read the bot's against.
 */
export async function frameworkFloorKb(): Promise<number> {
  const script = [
    'import "@microsoft/teams-ai";',
    'import "botbuilder";',
    'import "@azure/data-tables";',
    'import http from "node:http";',
    "const server = http.createServer((_, res) => res.end()).listen(0, '127.0.0.1');",
    "setTimeout(() => { process.stdout.write(String(process.memoryUsage().rss)); server.close(); }, 1000);",
  ].join("\n");
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], { cwd: REPO, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  await new Promise((resolve) => child.once("exit", resolve));
  return Math.round(Number(out) / 1024);
}
