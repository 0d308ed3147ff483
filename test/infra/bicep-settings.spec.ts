import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, PRODUCTION_SETTINGS, SETTING_NAMES } from "../../src/config.js";

const BICEP = readFileSync(path.resolve("infra/main.bicep"), "utf8");

/** Settings App Service itself reads; the app does not. */
const PLATFORM_SETTINGS = [/^WEBSITE_/, /^SCM_DO_BUILD_DURING_DEPLOYMENT$/];

interface AppSetting {
  name: string;
  /** The Bicep expression, as written. */
  value: string;
}

/** The `appSettings: [ { name: '…', value: … } … ]` of the web app, one entry per line. */
function appSettings(bicep: string): AppSetting[] {
  const start = bicep.indexOf("appSettings: [");
  expect(start, "main.bicep has an appSettings list").toBeGreaterThan(-1);
  const block = bicep.slice(start, bicep.indexOf("\n      ]", start));
  const settings = [...block.matchAll(/^\s*\{\s*name:\s*'([^']+)'\s*,\s*value:\s*(.+?)\s*\}\s*$/gm)].map((m) => ({
    name: m[1]!,
    value: m[2]!,
  }));
  // Every `name:` in the block was read: a setting written another way would escape the checks below.
  expect(settings).toHaveLength([...block.matchAll(/\bname:/g)].length);
  return settings;
}

/** A `param name type = 'default'` of the Bicep file, if it has a string default. */
function paramDefault(name: string): string | undefined {
  return new RegExp(`^param ${name} string = '([^']*)'`, "m").exec(BICEP)?.[1];
}

/** A plausible runtime value for a setting, as App Service would hand it to the app. */
function runtimeValue(setting: AppSetting): string {
  if (setting.value.includes("@Microsoft.KeyVault(")) return randomBytes(32).toString("base64"); // the operator's secret
  const literal = /^'([^'$]*)'$/.exec(setting.value);
  if (literal) return literal[1]!;
  const fromParam = /^[a-zA-Z]\w*$/.test(setting.value) ? paramDefault(setting.value) : undefined;
  if (fromParam !== undefined) return fromParam;
  switch (setting.name) {
    case "ALLOWED_TENANT_IDS":
      return (JSON.parse(readFileSync("config/municipalities.json", "utf8")) as { tenantId: string }[])[0]!.tenantId;
    case "STORAGE_ACCOUNT_URL":
      return "https://sparringst.table.core.windows.net/";
    case "APPLICATIONINSIGHTS_CONNECTION_STRING":
      return "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/";
    case "BOSTOTTE_API_AUDIENCE":
      return "api://sparring-bostotte";
    default:
      return "00000000-0000-0000-0000-000000000001";
  }
}

describe("infra/main.bicep app settings", () => {
  const settings = appSettings(BICEP);
  const names = settings.map((s) => s.name);

  it("writes only settings the app reads, or App Service's own", () => {
    const unknown = names.filter((n) => !(SETTING_NAMES as readonly string[]).includes(n) && !PLATFORM_SETTINGS.some((p) => p.test(n)));
    expect(unknown).toEqual([]);
    expect(new Set(names).size).toBe(names.length);
  });

  it("writes every setting production requires, and exactly one way to reach storage", () => {
    expect(PRODUCTION_SETTINGS.always.filter((n) => !names.includes(n))).toEqual([]);
    for (const group of PRODUCTION_SETTINGS.oneOf) expect(group.filter((n) => names.includes(n))).toHaveLength(1);
  });

  it("gives the app a configuration it starts with, in production mode on keyless storage", () => {
    const env = Object.fromEntries(settings.map((s) => [s.name, runtimeValue(s)]));
    const config = loadConfig({ ...env, DATA_DIR: mkdtempSync(path.join(tmpdir(), "sparring-bicep-")) });
    expect(config.bot).toBeDefined();
    expect(config.storage.kind).toBe("account-url");
    expect(config.telemetry).toBeDefined();
  });

  it("reads both keys from Key Vault, and no storage key from anywhere", () => {
    const value = (name: string) => settings.find((s) => s.name === name)?.value ?? "";
    expect(value("DATA_ENCRYPTION_KEY")).toContain("@Microsoft.KeyVault(");
    expect(value("CPR_LOOKUP_KEY")).toContain("@Microsoft.KeyVault(");
    expect(value("DATA_ENCRYPTION_KEY")).not.toBe(value("CPR_LOOKUP_KEY"));
    expect(BICEP).toMatch(/allowSharedKeyAccess:\s*false/);
    expect(BICEP).not.toMatch(/listKeys\(/);
    expect(names).not.toContain("STORAGE_CONNECTION_STRING");
  });

  it("probes readiness, so a draining or storage-less instance gets no traffic", () => {
    expect(BICEP).toMatch(/healthCheckPath:\s*'\/api\/health\/ready'/);
  });
});
