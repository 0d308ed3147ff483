import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.js";

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
});
