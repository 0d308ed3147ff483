import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { TableClient } from "@azure/data-tables";
import { afterAll, describe, expect, it } from "vitest";
import { startAzurite } from "../../src/dev/azurite.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "sparring-azurite-spec-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("Azurite with its data on disk (npm start, the fault test)", () => {
  it("keeps what was written just before it was stopped", async () => {
    // Azurite writes its tables to disk every 5 s; stopped without its own shutdown, the last writes were lost.
    const first = await startAzurite({ location: dir });
    const table = () => TableClient.fromConnectionString(first.connectionString, "kept", { allowInsecureConnection: true });
    await table().createTable();
    await table().createEntity({ partitionKey: "p", rowKey: "written-just-before-the-stop", value: 42 });
    await first.stop();

    const again = await startAzurite({ location: dir, port: first.port });
    try {
      const row = await table().getEntity<{ value: number }>("p", "written-just-before-the-stop");
      expect(row.value).toBe(42);
    } finally {
      await again.stop();
    }
  });
});
