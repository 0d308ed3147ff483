import { AsyncLocalStorage } from "node:async_hooks";
import { format } from "node:util";
import pino, { type Logger } from "pino";

/** Field names whose values are special-category data and never reach a log. */
const SENSITIVE_KEYS = new Set([
  "cpr",
  "cprDigits",
  "health",
  "social",
  "question",
  "acuteReason",
  "text",
  "value",
  "body",
  "authorization",
]);
const CPR_SHAPED = /\b\d{6}-?\d{4}\b/g;

/** Replaces CPR-shaped numbers and sensitive fields, however deep they sit. */
export function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return value.replace(CPR_SHAPED, "[cpr]");
  if (depth > 6 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) {
    return { type: value.name, message: scrub(value.message, depth + 1), stack: scrub(value.stack, depth + 1) };
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SENSITIVE_KEYS.has(k) ? "[redacted]" : scrub(v, depth + 1);
  return out;
}

const correlation = new AsyncLocalStorage<string>();

/**
 * Runs `work` with a correlation id: every log line written while it runs (however deep,
 * across awaits) carries `correlationId`, so one turn's lines can be found together.
 */
export function withCorrelation<T>(correlationId: string, work: () => T): T {
  return correlation.run(correlationId, work);
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: "sparring" },
      mixin: () => {
        const id = correlation.getStore();
        return id ? { correlationId: id } : {};
      },
      formatters: { log: (object) => scrub(object) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          const cleaned = args.map((a) => (typeof a === "string" ? scrub(a) : a)) as Parameters<typeof method>;
          method.apply(this, cleaned);
        },
      },
      serializers: { err: (e: unknown) => scrub(e) },
    },
    destination,
  );
}

/**
 * Sends what libraries write to the console (botbuilder prints errors and stack traces
 * there) through the logger, so every line is one scrubbed JSON object with the turn's
 * correlation id. Returns a function that restores the console.
 */
export function routeConsoleToLogger(logger: Logger): () => void {
  /* eslint-disable no-console -- the one place that takes the console over. */
  const original = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
  const line = (args: unknown[]) => {
    const err = args.find((a): a is Error => a instanceof Error);
    const message = format(...args.filter((a) => a !== err));
    return { err, message };
  };
  const to =
    (write: (obj: object, msg: string) => void) =>
    (...args: unknown[]) => {
      const { err, message } = line(args);
      write(err ? { err, source: "console" } : { source: "console" }, message);
    };
  console.log = to((o, m) => logger.info(o, m));
  console.info = to((o, m) => logger.info(o, m));
  console.debug = to((o, m) => logger.debug(o, m));
  console.warn = to((o, m) => logger.warn(o, m));
  console.error = to((o, m) => logger.error(o, m));
  return () => Object.assign(console, original);
  /* eslint-enable no-console */
}

export type { Logger };
