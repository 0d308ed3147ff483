/**
 * How the Bot Connector (Teams) answered a failed send: the one place its errors are read.
 * botframework-connector throws errors carrying `statusCode` and the response headers.
 */
export function connectorStatusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === "number" ? status : undefined;
}

/**
 * Answers that will not change on a retry. 401 is not among them: it means our own
 * credentials or token service failed, which heals, and must not fail every message meanwhile.
 */
const PERMANENT = new Set([400, 403, 404]);

export function isPermanentRefusal(status: number | undefined): boolean {
  return status !== undefined && PERMANENT.has(status);
}

/** `Retry-After` in seconds, in either of its forms (seconds, or an HTTP date), when the answer has one. */
export function retryAfterSeconds(error: unknown, now: Date = new Date()): number | undefined {
  const headers = (error as { response?: { headers?: { get?: (name: string) => string | undefined } & Record<string, unknown> } }).response
    ?.headers;
  const raw = typeof headers?.get === "function" ? headers.get("retry-after") : (headers?.["retry-after"] as string | undefined);
  if (raw === undefined || raw.trim() === "") return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds : undefined;
  const at = Date.parse(raw);
  return Number.isFinite(at) ? Math.max(0, (at - now.getTime()) / 1000) : undefined;
}
