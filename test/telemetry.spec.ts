import { SpanStatusCode } from "@opentelemetry/api";
import type { Logger as OtelLogger, LogRecord } from "@opentelemetry/api-logs";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.js";
import { exceptionStream, ScrubbingSpanProcessor, scrubText } from "../src/telemetry.js";

/** Fictitious replacement numbers (day of month + 60), as SPEC §9 asks of test data. */
const CPR = "610190-4321";
const CPR_DIGITS = "6101904321";

/** A tracer whose finished spans pass the scrubber and then land in memory, as they would reach Application Insights. */
function tracing() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new ScrubbingSpanProcessor(), new SimpleSpanProcessor(exporter)] });
  return { tracer: provider.getTracer("test"), exported: () => exporter.getFinishedSpans() };
}

describe("telemetry scrubbing", () => {
  it("removes CPR-shaped numbers from span names, attribute values, events and status", () => {
    const { tracer, exported } = tracing();
    const span = tracer.startSpan(`case for ${CPR}`, {
      attributes: { "sparring.note": `borger ${CPR}`, "sparring.ids": [`x-${CPR_DIGITS}`, "plain"], "http.status_code": 200 },
    });
    span.addEvent(`looked up ${CPR_DIGITS}`, { detail: `cpr ${CPR}` });
    span.recordException(new Error(`no case for ${CPR}`));
    span.setStatus({ code: SpanStatusCode.ERROR, message: `failed for ${CPR}` });
    span.end();

    const [done] = exported();
    const everything = JSON.stringify({ name: done!.name, attributes: done!.attributes, events: done!.events, status: done!.status });
    expect(everything).not.toMatch(/610190|6101904321/);
    expect(done!.name).toBe("case for [cpr]");
    expect(done!.attributes["sparring.ids"]).toEqual(["x-[cpr]", "plain"]);
    expect(done!.attributes["http.status_code"]).toBe(200);
    expect(done!.events.map((e) => e.name)).toEqual(["looked up [cpr]", "exception"]);
    expect(done!.events[1]!.attributes!["exception.message"]).toBe("no case for [cpr]");
  });

  it("drops URL query strings from names and attributes, keeping the path", () => {
    const { tracer, exported } = tracing();
    const span = tracer.startSpan(`GET /api/cases?cpr=${CPR}&x=1`, {
      attributes: {
        "url.full": `https://graph.microsoft.com/v1.0/users?$filter=employeeId eq '${CPR_DIGITS}'`,
        "http.url": `https://smba.trafficmanager.net/emea/v3/conversations/a:1-${CPR_DIGITS}/activities?x=${CPR}`,
        "http.target": `/api/messages?cpr=${CPR}`,
        "url.query": `cpr=${CPR}`,
      },
    });
    span.end();

    const [done] = exported();
    expect(done!.name).toBe("GET /api/cases");
    expect(done!.attributes).toEqual({
      "url.full": "https://graph.microsoft.com/v1.0/users",
      "http.url": "https://smba.trafficmanager.net/emea/v3/conversations/a:1-[cpr]/activities",
      "http.target": "/api/messages",
    });
  });

  it("drops request and response bodies, headers and database statements", () => {
    const { tracer, exported } = tracing();
    const span = tracer.startSpan("POST /api/messages", {
      attributes: {
        "http.request.body": JSON.stringify({ text: "helbred og sociale forhold" }),
        "http.response.body.size": 120,
        "messaging.message.payload": "{}",
        "http.request.header.authorization": "Bearer secret",
        "http.response.header.set-cookie": "session=1",
        "db.statement": `PartitionKey eq '${CPR}'`,
        "http.method": "POST",
      },
    });
    span.end();

    expect(exported()[0]!.attributes).toEqual({ "http.method": "POST" });
  });

  it("leaves ordinary identifiers alone", () => {
    expect(scrubText("POST /devstoreaccount1/cases(PartitionKey='t%7Ccase',RowKey='SP-0042')")).toBe(
      "POST /devstoreaccount1/cases(PartitionKey='t%7Ccase',RowKey='SP-0042')",
    );
    expect(scrubText("9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f")).toBe("9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f");
    expect(scrubText("duration 123456789012 ns")).toBe("duration 123456789012 ns");
  });
});

describe("errors as Application Insights exceptions", () => {
  it("sends each logged error, scrubbed, with its type, message and stack, and nothing below error", () => {
    const emitted: LogRecord[] = [];
    const otel: OtelLogger = { emit: (record) => void emitted.push(record), enabled: () => true };
    const logger = createLogger("info", exceptionStream(otel));

    logger.info("a turn began");
    logger.error({ err: new TypeError(`bad CPR ${CPR}`) }, `could not save the case of ${CPR}`);
    logger.error("no error object here");

    expect(emitted).toHaveLength(2);
    const [withError, plain] = emitted;
    expect(withError!.body).toBe("could not save the case of [cpr]");
    expect(withError!.attributes).toMatchObject({ "exception.type": "TypeError", "exception.message": "bad CPR [cpr]" });
    expect(String(withError!.attributes!["exception.stacktrace"])).toContain("TypeError: bad CPR [cpr]");
    expect(plain!.attributes).toMatchObject({ "exception.type": "Error", "exception.message": "no error object here" });
    expect(JSON.stringify(emitted)).not.toContain("610190");
  });
});
