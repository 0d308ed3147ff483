import os from "node:os";
import type { World } from "./agents.js";
import type { Check } from "./checks.js";
import type { ConnectorStub } from "./connector-stub.js";
import type { BotProcess } from "./processes.js";
import type { Options } from "./run.js";

/** Teams shows an error when a bot takes longer than this to answer a card action. */
const TEAMS_INVOKE_LIMIT_MS = 5_000;
const RSS_TARGET_MB = 200;

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Prints what happened and what was checked; returns the number of broken invariants. */
export function printReport(o: {
  mode: "load" | "faults";
  options: Options;
  loadMs: number;
  /** CPU seconds used during the load. */
  cpu: { bot: number; azurite: number };
  world: World;
  stub: ConnectorStub;
  peakKb: number;
  /** Resident set of a process that only loads the framework (see frameworkFloorKb). */
  floorKb: number;
  timeline: string[];
  checks: Check[];
  bot: BotProcess;
  fastForwarded: number;
}): number {
  const { stats } = o.world.client;
  const row = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(34) : c.padStart(8))).join(" ");
  const n = (v: number) => (Number.isNaN(v) ? "-" : v.toFixed(0));

  console.log(`\n== ${o.mode === "faults" ? "Fault" : "Load"} test: what the users saw ==\n`);
  const total = [...stats.ms.entries()].filter(([k]) => !k.startsWith("(")).reduce((sum, [, l]) => sum + l.length, 0);
  console.log(`${total} requests in ${(o.loadMs / 1000).toFixed(0)} s (${(total / (o.loadMs / 1000)).toFixed(1)}/s), latency in ms:\n`);
  console.log(row(["", "n", "p50", "p95", "p99", "max"]));
  const kinds = [...stats.ms.keys()].sort((a, b) => (a.startsWith("(") ? 1 : 0) - (b.startsWith("(") ? 1 : 0) || a.localeCompare(b));
  for (const kind of kinds) {
    const list = stats.ms.get(kind)!;
    console.log(
      row([kind, String(list.length), n(quantile(list, 0.5)), n(quantile(list, 0.95)), n(quantile(list, 0.99)), n(Math.max(...list))]),
    );
  }
  const invokes = stats.ms.get("(every invoke)") ?? [];
  const p99 = quantile(invokes, 0.99);
  const peakMb = o.peakKb / 1024;
  console.log(
    `\ninvoke p99: ${n(p99)} ms (Teams gives up at ${TEAMS_INVOKE_LIMIT_MS} ms: ${p99 < TEAMS_INVOKE_LIMIT_MS / 2 ? "far inside" : p99 < TEAMS_INVOKE_LIMIT_MS ? "inside, but not far" : "OUTSIDE"})`,
  );
  console.log(
    `bot peak RSS (VmHWM${o.bot.starts > 1 ? `, highest of ${o.bot.starts} processes` : ""}): ${peakMb.toFixed(0)} MB ` +
      `(target below ${RSS_TARGET_MB} MB: ${peakMb < RSS_TARGET_MB ? "met" : "MISSED"}); idle after start ${(o.bot.idleKb / 1024).toFixed(0)} MB; ` +
      `the framework alone (teams-ai, botbuilder, data-tables loaded, nothing else) ${(o.floorKb / 1024).toFixed(0)} MB`,
  );
  const share = (seconds: number) => `${seconds.toFixed(1)} s (${((100 * seconds) / (o.loadMs / 1000)).toFixed(0)}% of one core)`;
  console.log(
    `CPU during the load: bot ${share(o.cpu.bot)}, Azurite ${share(o.cpu.azurite)}; this machine has ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)}`,
  );
  const counted = [...stats.counts].filter(([k]) => !k.startsWith("bostøtte API answered"));
  const answers = [...stats.counts].filter(([k]) => k.startsWith("bostøtte API answered")).map(([k, v]) => `${v}× ${k.slice(-3)}`);
  if (answers.length > 0) console.log(`bostøtte API answers: ${answers.join(", ")}`);
  for (const [what, count] of counted) console.log(`${what}: ${count}`);
  const { plans } = o.world.records;
  console.log(
    `joint plans: ${plans.opened} opened, ${plans.saved} saved, ${plans.approvals} approvals, ${plans.agreed} agreed; ` +
      `${o.world.records.addedInformation} answers to "mere information"`,
  );
  const refused = Object.entries(o.stub.refused).filter(([, v]) => v > 0);
  if (refused.length > 0) console.log(`connector refusals: ${refused.map(([k, v]) => `${v}× ${k}`).join(", ")}`);

  if (o.timeline.length > 0) {
    console.log(`\n== Timeline ==\n`);
    for (const line of o.timeline) console.log(`  ${line}`);
  }

  console.log(`\n== Invariants ==\n`);
  let broken = 0;
  for (const check of o.checks) {
    const ok = check.violations.length === 0;
    if (!ok) broken += check.violations.length;
    console.log(`${ok ? "OK  " : "FAIL"} ${check.name}`);
    for (const figure of check.figures) console.log(`       ${figure}`);
    for (const note of check.notes) console.log(`       note: ${note}`);
    for (const violation of check.violations.slice(0, 15)) console.log(`       BROKEN: ${violation}`);
    if (check.violations.length > 15) console.log(`       … and ${check.violations.length - 15} more`);
  }
  console.log(
    broken === 0
      ? `\nEvery invariant held.${o.fastForwarded > 0 ? ` (${o.fastForwarded} message(s) went out only after their lease or back-off, see the timeline.)` : ""}`
      : `\n${broken} invariant violation(s).`,
  );
  return broken;
}
