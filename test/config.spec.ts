import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, SETTING_NAMES } from "../src/config.js";
import { FieldCipher } from "../src/storage/field-cipher.js";

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
      for (const key of [
        "STORAGE_ACCOUNT_URL",
        "STORAGE_CONNECTION_STRING",
        "DATA_ENCRYPTION_KEY",
        "CPR_LOOKUP_KEY",
        "ALLOWED_TENANT_IDS",
        "BOT_APP_PASSWORD",
        "BOT_TENANT_ID",
        "BOSTOTTE_API_AUDIENCE",
      ]) {
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
      CPR_LOOKUP_KEY: Buffer.alloc(32, 8).toString("base64"),
      ALLOWED_TENANT_IDS: "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f",
      BOSTOTTE_API_AUDIENCE: "api://sparring-bostotte",
    });
    expect(config.host).toBe("0.0.0.0");
    expect(config.storage.kind).toBe("connection-string");
    expect(config.cprLookupKey.equals(Buffer.alloc(32, 8))).toBe(true);
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

  it("lists every setting in .env.example", () => {
    const listed = readFileSync(".env.example", "utf8").match(/^[A-Z][A-Z0-9_]*(?==)/gm) ?? [];
    expect([...listed].sort()).toEqual([...SETTING_NAMES].sort());
  });
});

const production = {
  BOT_APP_ID: "00000000-0000-0000-0000-000000000001",
  BOT_APP_TYPE: "UserAssignedMSI",
  BOT_TENANT_ID: "t",
  DATA_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
  CPR_LOOKUP_KEY: Buffer.alloc(32, 2).toString("base64"),
  ALLOWED_TENANT_IDS: "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f",
  BOSTOTTE_API_AUDIENCE: "api://sparring-bostotte",
};
const CONNECTION_STRING = "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=eA==;EndpointSuffix=core.windows.net";
const problemsOf = (env: NodeJS.ProcessEnv) => {
  try {
    loadConfig({ DATA_DIR: dataDir(), ...env });
    return "";
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
};

describe("keyless storage", () => {
  it("reaches Table Storage by account URL with the user-assigned managed identity", () => {
    const config = loadConfig({
      ...production,
      STORAGE_ACCOUNT_URL: "https://sparringst.table.core.windows.net/",
      AZURE_CLIENT_ID: "11111111-2222-3333-4444-555555555555",
      DATA_DIR: dataDir(),
    });
    expect(config.storage).toEqual({
      kind: "account-url",
      accountUrl: "https://sparringst.table.core.windows.net/",
      clientId: "11111111-2222-3333-4444-555555555555",
    });
  });

  it("wants exactly one of the account URL and the connection string in production", () => {
    expect(problemsOf(production)).toMatch(/Table Storage is not configured: set STORAGE_ACCOUNT_URL .* or STORAGE_CONNECTION_STRING/);
    expect(
      problemsOf({
        ...production,
        STORAGE_ACCOUNT_URL: "https://sparringst.table.core.windows.net",
        STORAGE_CONNECTION_STRING: CONNECTION_STRING,
      }),
    ).toMatch(/Both STORAGE_ACCOUNT_URL and STORAGE_CONNECTION_STRING are set: remove one/);
    expect(problemsOf({ ...production, STORAGE_CONNECTION_STRING: CONNECTION_STRING })).toBe("");
  });

  it("refuses an account URL that is no https address in production, or carries a SAS token", () => {
    expect(problemsOf({ ...production, STORAGE_ACCOUNT_URL: "http://sparringst.table.core.windows.net" })).toMatch(
      /STORAGE_ACCOUNT_URL must be an https:\/\/ address/,
    );
    // A connection string pasted into the wrong setting: named, but its key not repeated.
    const misplaced = problemsOf({ ...production, STORAGE_ACCOUNT_URL: CONNECTION_STRING });
    expect(misplaced).toMatch(/STORAGE_ACCOUNT_URL is not an address/);
    expect(misplaced).not.toContain("AccountKey");
    expect(problemsOf({ ...production, STORAGE_ACCOUNT_URL: "https://sparringst.table.core.windows.net/?sv=2022&sig=x" })).toMatch(
      /without \?…/,
    );
  });
});

describe("the two keys", () => {
  it("requires a CPR look-up key in production, different from the data encryption key", () => {
    const env = { ...production, STORAGE_CONNECTION_STRING: CONNECTION_STRING };
    expect(problemsOf({ ...env, CPR_LOOKUP_KEY: "" })).toMatch(/CPR_LOOKUP_KEY is required when BOT_APP_ID is set: .*cpr-lookup-key/);
    expect(problemsOf({ ...env, CPR_LOOKUP_KEY: env.DATA_ENCRYPTION_KEY })).toMatch(
      /CPR_LOOKUP_KEY must be a different key from DATA_ENCRYPTION_KEY/,
    );
    expect(problemsOf({ ...env, CPR_LOOKUP_KEY: Buffer.alloc(16).toString("base64") })).toMatch(
      /CPR_LOOKUP_KEY must be base64 of exactly 32 bytes/,
    );
  });

  it("says so when App Service could not resolve a Key Vault reference", () => {
    const message = problemsOf({
      ...production,
      STORAGE_CONNECTION_STRING: CONNECTION_STRING,
      CPR_LOOKUP_KEY: "@Microsoft.KeyVault(VaultName=kv;SecretName=cpr-lookup-key)",
    });
    expect(message).toMatch(/CPR_LOOKUP_KEY is a Key Vault reference that App Service could not resolve/);
    expect(message).not.toMatch(/CPR_LOOKUP_KEY must be base64/);
  });

  it("generates two different local keys once, readable by the owner only", () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir });
    const second = loadConfig({ DATA_DIR: dir });
    expect(first.cprLookupKey.equals(second.cprLookupKey)).toBe(true);
    expect(first.cprLookupKey.equals(first.encryptionKey)).toBe(false);
    expect(statSync(path.join(dir, "cpr-lookup.key")).mode & 0o777).toBe(0o600);
  });

  it("keeps finding the cases of a .data folder from before the keys were split", () => {
    const dir = dataDir();
    const oldKey = Buffer.alloc(32, 4);
    writeFileSync(path.join(dir, "encryption.key"), oldKey.toString("base64"));
    const config = loadConfig({ DATA_DIR: dir });
    // The look-up key the single-key FieldCipher used to derive, now written down.
    expect(config.cprLookupKey.equals(new FieldCipher(oldKey).lookupKey)).toBe(true);
    expect(readFileSync(path.join(dir, "cpr-lookup.key"), "utf8")).toBe(config.cprLookupKey.toString("base64"));
    expect(new FieldCipher(config.encryptionKey, config.cprLookupKey).lookupKey.equals(new FieldCipher(oldKey).lookupKey)).toBe(true);
  });
});

describe("telemetry setting", () => {
  it("starts no telemetry without an Application Insights connection string, and refuses a malformed one", () => {
    expect(loadConfig({ DATA_DIR: dataDir() }).telemetry).toBeUndefined();
    expect(problemsOf({ APPLICATIONINSIGHTS_CONNECTION_STRING: "not-a-connection-string" })).toMatch(
      /APPLICATIONINSIGHTS_CONNECTION_STRING is not an Application Insights connection string/,
    );
    expect(
      loadConfig({ DATA_DIR: dataDir(), APPLICATIONINSIGHTS_CONNECTION_STRING: "InstrumentationKey=0;IngestionEndpoint=https://x/" })
        .telemetry,
    ).toEqual({
      connectionString: "InstrumentationKey=0;IngestionEndpoint=https://x/",
    });
  });
});
