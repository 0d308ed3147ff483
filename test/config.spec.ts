import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

const dataDir = () => mkdtempSync(path.join(tmpdir(), "sparring-config-"));

describe("loadConfig", () => {
  it("runs locally with no settings: loopback only, emulator storage, a key generated once", () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir });
    const second = loadConfig({ DATA_DIR: dir });
    expect(first.host).toBe("127.0.0.1");
    expect(first.bot).toBeUndefined();
    expect(first.storage.kind).toBe("local-emulator");
    expect(first.encryptionKey.equals(second.encryptionKey)).toBe(true);
    expect(readFileSync(path.join(dir, "encryption.key"), "utf8").trim()).toHaveLength(44);
    // The bostøtte endpoint's local key: made once, readable by the owner only.
    expect(second.bostotteApi.localKey).toBe(first.bostotteApi.localKey);
    expect(statSync(path.join(dir, "bostotte-local.key")).mode & 0o777).toBe(0o600);
  });

  it("names every missing production setting in words an IT operator can act on", () => {
    expect(() => loadConfig({ BOT_APP_ID: "00000000-0000-0000-0000-000000000001", DATA_DIR: dataDir() })).toThrow(ConfigError);
    try {
      loadConfig({ BOT_APP_ID: "00000000-0000-0000-0000-000000000001", DATA_DIR: dataDir() });
    } catch (error) {
      const message = (error as Error).message;
      for (const key of ["STORAGE_CONNECTION_STRING", "DATA_ENCRYPTION_KEY", "ALLOWED_TENANT_IDS", "BOT_APP_PASSWORD", "BOT_TENANT_ID", "BOSTOTTE_API_AUDIENCE"]) {
        expect(message).toContain(key);
      }
    }
  });

  it("starts in production mode when everything is set, serving only the allowed tenants", () => {
    const config = loadConfig({
      BOT_APP_ID: "00000000-0000-0000-0000-000000000001",
      BOT_APP_TYPE: "UserAssignedMSI",
      BOT_TENANT_ID: "t",
      STORAGE_CONNECTION_STRING: "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=eA==;EndpointSuffix=core.windows.net",
      DATA_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString("base64"),
      ALLOWED_TENANT_IDS: "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f",
      BOSTOTTE_API_AUDIENCE: "api://sparring-bostotte",
    });
    expect(config.host).toBe("0.0.0.0");
    // The local shared key of the bostøtte endpoint exists only in local mode.
    expect(config.bostotteApi.localKey).toBeUndefined();
    expect([...config.municipalities.keys()]).toEqual(["9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f"]);
  });

  it("refuses an allowed tenant without a municipality entry, and a short key", () => {
    expect(() =>
      loadConfig({ DATA_DIR: dataDir(), ALLOWED_TENANT_IDS: "unknown-tenant", DATA_ENCRYPTION_KEY: Buffer.alloc(16).toString("base64") }),
    ).toThrow(/unknown-tenant[\s\S]*|32 bytes/);
  });

  it("explains a broken municipalities file", () => {
    const dir = dataDir();
    const file = path.join(dir, "m.json");
    writeFileSync(file, JSON.stringify([{ tenantId: "x", name: "K", departments: [], forums: [] }]));
    expect(() => loadConfig({ DATA_DIR: dir, MUNICIPALITIES_FILE: file })).toThrow(/MUNICIPALITIES_FILE .* is not a valid list/);
  });
});
