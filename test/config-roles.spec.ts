import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

const dataDir = () => mkdtempSync(path.join(tmpdir(), "sparring-config-roles-"));

/** Everything production needs, so that only the role settings vary. */
const production = () => ({
  BOT_APP_ID: "00000000-0000-0000-0000-000000000001",
  BOT_APP_TYPE: "UserAssignedMSI",
  BOT_TENANT_ID: "t",
  AZURE_CLIENT_ID: "00000000-0000-0000-0000-00000000000c",
  STORAGE_ACCOUNT_URL: "https://sparringst.table.core.windows.net",
  DATA_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString("base64"),
  CPR_LOOKUP_KEY: Buffer.alloc(32, 8).toString("base64"),
  ALLOWED_TENANT_IDS: "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f",
  BOSTOTTE_API_AUDIENCE: "api://sparring-bostotte",
  DATA_DIR: dataDir(),
});

describe("role settings: where role lists are looked up (ROLE_DIRECTORY, GRAPH_BASE_URL, ROLE_CACHE_SECONDS)", () => {
  it("reads the configuration's object ids locally, and Microsoft Graph with the managed identity in production", () => {
    expect(loadConfig({ DATA_DIR: dataDir() }).roles).toEqual({
      directory: "config",
      graphBaseUrl: "https://graph.microsoft.com",
      cacheSeconds: 300,
    });
    expect(loadConfig(production()).roles).toEqual({
      directory: "graph",
      graphBaseUrl: "https://graph.microsoft.com",
      cacheSeconds: 300,
      clientId: "00000000-0000-0000-0000-00000000000c",
    });
  });

  it("takes an explicit choice, another Graph address and cache period (empty means the default)", () => {
    const local = loadConfig({
      DATA_DIR: dataDir(),
      ROLE_DIRECTORY: "graph",
      GRAPH_BASE_URL: "http://127.0.0.1:4000",
      ROLE_CACHE_SECONDS: "60",
    });
    expect(local.roles).toMatchObject({ directory: "graph", graphBaseUrl: "http://127.0.0.1:4000", cacheSeconds: 60 });
    expect(loadConfig({ ...production(), ROLE_DIRECTORY: "config", ROLE_CACHE_SECONDS: "" }).roles).toMatchObject({
      directory: "config",
      cacheSeconds: 300,
    });
  });

  it("stops with a clear message on a wrong value", () => {
    expect(() => loadConfig({ DATA_DIR: dataDir(), ROLE_DIRECTORY: "ldap" })).toThrow(/ROLE_DIRECTORY/);
    expect(() => loadConfig({ DATA_DIR: dataDir(), ROLE_CACHE_SECONDS: "7200" })).toThrow(/ROLE_CACHE_SECONDS/);
    expect(() => loadConfig({ ...production(), GRAPH_BASE_URL: "http://graph.example" })).toThrow(ConfigError);
    expect(() => loadConfig({ ...production(), GRAPH_BASE_URL: "http://graph.example" })).toThrow(/GRAPH_BASE_URL must be an https/);
  });
});
