import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { bostotteEventJsonSchema } from "../../src/domain/bostotte-event.js";

describe("the bostøtte event contract's JSON Schema in the repository", () => {
  it("is the one generated from the zod schema (run `npm run schema:bostotte` after changing the contract)", () => {
    const committed = JSON.parse(readFileSync("docs/contracts/bostotte-event.v1.schema.json", "utf8")) as unknown;
    expect(committed).toEqual(bostotteEventJsonSchema());
  });
});
