/**
 * `npm run schema:bostotte`: writes the JSON Schema of the bostøtte event contract,
 * generated from its zod schema, to docs/contracts/. A test fails when the committed file
 * and the zod schema disagree, so run this after changing the contract.
 */
import { writeFileSync } from "node:fs";
import { bostotteEventJsonSchema } from "../src/domain/bostotte-event.js";

export const BOSTOTTE_SCHEMA_FILE = "docs/contracts/bostotte-event.v1.schema.json";

writeFileSync(BOSTOTTE_SCHEMA_FILE, `${JSON.stringify(bostotteEventJsonSchema(), null, 2)}\n`);
console.log(`Wrote ${BOSTOTTE_SCHEMA_FILE}`);
