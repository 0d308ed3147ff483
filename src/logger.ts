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
/** How deep an object is looked into; what lies deeper is left out, never written unscrubbed. */
const MAX_DEPTH = 6;

/** Replaces CPR-shaped numbers and sensitive fields, however deep they sit. */
export function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return value.replace(CPR_SHAPED, "[cpr]");
  if (value === null || typeof value !== "object") return value;
  if (depth > MAX_DEPTH) return "[too deep]";
  if (value instanceof Error) {
    return { type: value.name, message: scrub(value.message, depth + 1), stack: scrub(value.stack, depth + 1) };
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SENSITIVE_KEYS.has(k) ? "[redacted]" : scrub(v, depth + 1);
  return out;
}

const correlation = new AsyncLocalStorage<string>();
/** The level that what libraries print on the console is logged at while {@link withLibraryConsoleAt} runs. */
const libraryConsoleLevel = new AsyncLocalStorage<"debug" | "info" | "warn">();

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
          method.apply(this, withScrubbedMessage(args) as Parameters<typeof method>);
        },
      },
      serializers: { err: (e: unknown) => scrub(e) },
    },
    destination,
  );
}

/**
 * pino's arguments with the message formatted here rather than by pino: the values put into
 * it (`%s`, `%d`, `%o`, `%j`) are scrubbed first, as a log object's fields are, and the
 * finished text once more, since pino's formatters never see the message.
 */
function withScrubbedMessage(args: unknown[]): unknown[] {
  const at = typeof args[0] === "string" ? 0 : 1;
  const template = args[at];
  if (typeof template !== "string") return args;
  const message = scrub(format(template, ...args.slice(at + 1).map((value) => scrub(value))));
  return at === 0 ? [message] : [args[0], message];
}

/**
 * Runs `work` with what libraries print on the console (see {@link routeConsoleToLogger})
 * logged at `level` whatever console method they used: for work whose failures are the
 * caller's, e.g. botbuilder's token checks, which print an expired token's stack with
 * `console.error` — not an error of ours, and not worth an exception in Application Insights.
 */
export function withLibraryConsoleAt<T>(level: "debug" | "info" | "warn", work: () => T): T {
  return libraryConsoleLevel.run(level, work);
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
    // Objects are scrubbed by field before they become text, as in a log object.
    const message = format(...args.filter((a) => a !== err).map((a) => scrub(a)));
    return { err, message };
  };
  const to =
    (write: (obj: object, msg: string) => void) =>
    (...args: unknown[]) => {
      const { err, message } = line(args);
      const fields = err ? { err, source: "console" } : { source: "console" };
      const demoted = libraryConsoleLevel.getStore();
      if (demoted) logger[demoted](fields, message);
      else write(fields, message);
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
