import type { IncomingMessage } from "node:http";
import { createRequire, syncBuiltinESMExports } from "node:module";
import type { Attributes, AttributeValue } from "@opentelemetry/api";
import { logs, SeverityNumber, type Logger as OtelLogger } from "@opentelemetry/api-logs";
import type { ReadableSpan, SpanProcessor } from "@opentelemetry/sdk-trace-base";
import pino from "pino";
import { scrub } from "./logger.js";

/**
 * Application Insights through OpenTelemetry (`@azure/monitor-opentelemetry`): incoming
 * requests, outgoing HTTP (Table Storage, Bot Connector, Graph) and logged errors as
 * exceptions. Started only when APPLICATIONINSIGHTS_CONNECTION_STRING is set, and before
 * the bot's modules are loaded (see `src/main.ts`).
 *
 * No personal data leaves: every span's name, attributes, events and status pass through
 * {@link scrubSpan} before export, and the errors sent are the logger's, already scrubbed.
 */
export interface Telemetry {
  /** Where the logger writes: standard output, plus errors to Application Insights as exceptions. */
  logDestination: pino.DestinationStream;
  /** Sends what is buffered and stops. */
  shutdown(): Promise<void>;
}

const SHUTDOWN_FLUSH_MS = 5_000;

/** Paths whose requests are not worth recording: App Service's probes hit them every minute. */
const UNRECORDED_PATHS = /^\/api\/health(\/|$|\?)/;

export async function startTelemetry(setting: { connectionString: string } | undefined): Promise<Telemetry | undefined> {
  if (!setting) return undefined;
  const { useAzureMonitor, shutdownAzureMonitor } = await import("@azure/monitor-opentelemetry");
  // The HTTP instrumentation's own options (HttpInstrumentationConfig) on top of `enabled`.
  const http = { enabled: true, ignoreIncomingRequestHook: (request: IncomingMessage) => UNRECORDED_PATHS.test(request.url ?? "") };
  useAzureMonitor({
    azureMonitorExporterOptions: { connectionString: setting.connectionString },
    spanProcessors: [new ScrubbingSpanProcessor()],
    // Live Metrics copies requests and exceptions before our span processor has run.
    enableLiveMetrics: false,
    instrumentationOptions: {
      http,
      azureSdk: { enabled: true },
      mongoDb: { enabled: false },
      mySql: { enabled: false },
      postgreSql: { enabled: false },
      redis: { enabled: false },
      redis4: { enabled: false },
      bunyan: { enabled: false },
      winston: { enabled: false },
    },
  });
  patchBuiltinHttp();
  return {
    logDestination: pino.multistream([
      { level: "trace", stream: pino.destination(1) },
      { level: "error", stream: exceptionStream() },
    ]),
    // Bounded: an unreachable ingestion endpoint must not hold up the instance's exit.
    shutdown: () => Promise.race([shutdownAzureMonitor(), new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_FLUSH_MS).unref())]),
  };
}

/**
 * The HTTP instrumentation patches `http`/`https` when they are `require`d. This is an ES
 * module app: require them once so they are patched, and copy the patched functions into
 * the ES module views of the built-ins (`import * as https from "node:https"`).
 */
function patchBuiltinHttp(): void {
  const require = createRequire(import.meta.url);
  require("node:http");
  require("node:https");
  syncBuiltinESMExports();
}

const PINO_ERROR = 50;

/**
 * A log destination that turns each error line (already scrubbed by the logger) into an
 * Application Insights exception, tied to the request or dependency it happened in.
 */
export function exceptionStream(otel: OtelLogger = logs.getLogger("sparring")): pino.DestinationStream {
  return {
    write(line: string) {
      let entry: { level?: unknown; msg?: unknown; err?: { type?: unknown; message?: unknown; stack?: unknown } };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        return;
      }
      if (typeof entry.level !== "number" || entry.level < PINO_ERROR) return;
      const message = typeof entry.msg === "string" ? entry.msg : "error";
      const err = entry.err;
      otel.emit({
        severityNumber: SeverityNumber.ERROR,
        severityText: "ERROR",
        body: scrubText(message),
        attributes: {
          "exception.type": typeof err?.type === "string" ? err.type : "Error",
          "exception.message": scrubText(typeof err?.message === "string" ? err.message : message),
          ...(typeof err?.stack === "string" ? { "exception.stacktrace": scrubText(err.stack) } : {}),
        },
      });
    },
  };
}

/** Removes personal data from each span as it ends, before any exporter sees it. */
export class ScrubbingSpanProcessor implements SpanProcessor {
  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    scrubSpan(span);
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}

/**
 * Attributes that would carry message bodies, credentials or query strings. Names are the
 * OpenTelemetry semantic conventions (old and stable), matched whole or as a prefix.
 */
const DROPPED_ATTRIBUTE = [
  /(^|\.)(body|payload)($|\.)/i,
  /^url\.query$/i,
  /^db\.(statement|query\.text)$/i,
  /^http\.(request|response)\.header\./i,
];

/**
 * Scrubs a finished span in place: its name, attribute values, event names and
 * attributes, link attributes and status message lose query strings and CPR-shaped
 * numbers, and attributes that carry bodies, headers or queries are dropped.
 */
export function scrubSpan(span: ReadableSpan): void {
  // The SDK hands processors its own span, whose name and status are plain fields.
  const writable = span as { name: string; status: ReadableSpan["status"] };
  writable.name = scrubText(span.name);
  if (span.status.message !== undefined) writable.status = { ...span.status, message: scrubText(span.status.message) };
  scrubAttributes(span.attributes);
  for (const event of span.events) {
    (event as { name: string }).name = scrubText(event.name);
    if (event.attributes) scrubAttributes(event.attributes);
  }
  for (const link of span.links) if (link.attributes) scrubAttributes(link.attributes);
}

/** In place, since the exporter reads the span's own attribute object. */
export function scrubAttributes(attributes: Attributes): void {
  const writable = attributes as Record<string, AttributeValue | undefined>;
  for (const [key, value] of Object.entries(writable)) {
    if (DROPPED_ATTRIBUTE.some((pattern) => pattern.test(key))) delete writable[key];
    else writable[key] = scrubValue(value);
  }
}

function scrubValue(value: AttributeValue | undefined): AttributeValue | undefined {
  if (typeof value === "string") return scrubText(value);
  if (Array.isArray(value)) return value.map((v: unknown) => (typeof v === "string" ? scrubText(v) : v)) as AttributeValue;
  return value;
}

/** A value that is a URL or a path: everything from its `?` or `#` on goes, whatever it contains. */
const URL_WITH_QUERY = /^((?:[a-z][a-z0-9+.-]*:\/\/|\/)[^\s?#]*)[?#]/i;
/** Inside other text: an absolute URL's query string, or a path's after a space (`GET /x?cpr=…`). */
const QUERY_OF_URL = /\b([a-z][a-z0-9+.-]*:\/\/[^\s?#"'<>]*)\?[^\s#"'<>]*/gi;
const QUERY_OF_PATH = /(^|\s)(\/[^\s?#"'<>]*)\?[^\s#"'<>]*/g;
/** CPR-shaped digits glued to letters or underscores, which the logger's word-bounded pattern lets through. */
const CPR_IN_IDENTIFIER = /(?<!\d)\d{6}-?\d{4}(?!\d)/g;

/** Text without URL query strings and CPR-shaped numbers. */
export function scrubText(text: string): string {
  const url = URL_WITH_QUERY.exec(text);
  const withoutQueries = url ? url[1]! : text.replace(QUERY_OF_URL, "$1").replace(QUERY_OF_PATH, "$1$2");
  return (scrub(withoutQueries) as string).replace(CPR_IN_IDENTIFIER, "[cpr]");
}
