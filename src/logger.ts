import pino, { type Logger } from "pino";

/** Field names whose values are special-category data and never reach a log. */
const SENSITIVE_KEYS = new Set([
  "cpr", "cprDigits", "health", "social", "question", "acuteReason", "text", "value", "body", "authorization",
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

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: "sparring" },
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

export type { Logger };
