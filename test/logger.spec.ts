import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, routeConsoleToLogger, withCorrelation } from "../src/logger.js";

function capture() {
  const lines: string[] = [];
  const stream = new Writable({ write: (chunk, _enc, done) => (lines.push(chunk.toString()), done()) });
  return { logger: createLogger("info", stream), lines };
}

describe("logger", () => {
  it("never writes a CPR-shaped number, in the message or deep in an object", () => {
    const { logger, lines } = capture();
    logger.info({ nested: { note: "borger 610190-4321 ringede" }, list: ["6101904321"] }, "sag for 610190-4321");
    logger.error({ err: new Error("kunne ikke gemme 610190-4321") }, "fejl");
    const out = lines.join("");
    expect(out).not.toMatch(/610190-?4321/);
    expect(out).toContain("[cpr]");
  });

  it("redacts health and social text fields by name", () => {
    const { logger, lines } = capture();
    logger.info({ health: "diabetes", social: "gæld", question: "?", caseNo: 7 }, "case");
    const out = lines.join("");
    expect(out).not.toContain("diabetes");
    expect(out).not.toContain("gæld");
    expect(out).toContain('"caseNo":7');
  });

  it("stamps every line written during a turn with that turn's correlation id", async () => {
    const { logger, lines } = capture();
    await withCorrelation("turn-1", async () => {
      await Promise.resolve();
      logger.info("inside");
    });
    logger.info("outside");
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: "inside", correlationId: "turn-1" });
    expect(JSON.parse(lines[1]!)).not.toHaveProperty("correlationId");
  });

  it("turns what libraries print on the console into scrubbed JSON lines", () => {
    const { logger, lines } = capture();
    const restore = routeConsoleToLogger(logger);
    try {
      console.error(new Error("token for 610190-4321 rejected"));
      console.warn("BadRequest: Missing activity or activity type.");
    } finally {
      restore();
    }
    const [first, second] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(first).toMatchObject({ level: 50, source: "console" });
    expect(JSON.stringify(first)).not.toMatch(/610190-?4321/);
    expect(second).toMatchObject({ level: 40, msg: "BadRequest: Missing activity or activity type." });
  });
});
