import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { municipalitySchema, type Municipality } from "./domain/municipality.js";
import { DEFAULT_TIME_ZONE } from "./domain/time.js";
import { legacyCprLookupKey } from "./storage/field-cipher.js";

/**
 * The only module that reads the environment. Parsed once at start-up; a wrong setting
 * stops the bot with a message an IT operator can act on. `.env.example` lists every key.
 */
const envSchema = z.object({
  /** 0 picks a free port (tests). */
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  BOT_APP_ID: z.string().trim().optional().transform(emptyToUndefined),
  BOT_APP_PASSWORD: z.string().optional().transform(emptyToUndefined),
  BOT_APP_TYPE: z.enum(["MultiTenant", "SingleTenant", "UserAssignedMSI"]).default("SingleTenant"),
  BOT_TENANT_ID: z.string().trim().optional().transform(emptyToUndefined),
  /** Test or sovereign-cloud override of where the Bot Framework publishes its token signing keys. */
  BOT_OPENID_METADATA_URL: z.string().trim().optional().transform(emptyToUndefined),
  /** Test or sovereign-cloud override of the issuer of the Bot Framework's tokens. */
  BOT_TOKEN_ISSUER: z.string().trim().optional().transform(emptyToUndefined),
  STORAGE_ACCOUNT_URL: z.string().trim().optional().transform(emptyToUndefined),
  STORAGE_CONNECTION_STRING: z.string().trim().optional().transform(emptyToUndefined),
  AZURE_CLIENT_ID: z.string().trim().optional().transform(emptyToUndefined),
  DATA_ENCRYPTION_KEY: z.string().trim().optional().transform(emptyToUndefined),
  CPR_LOOKUP_KEY: z.string().trim().optional().transform(emptyToUndefined),
  APPLICATIONINSIGHTS_CONNECTION_STRING: z.string().trim().optional().transform(emptyToUndefined),
  ALLOWED_TENANT_IDS: z.string().optional().transform(emptyToUndefined),
  MUNICIPALITIES_FILE: z.string().default("config/municipalities.json"),
  DATA_DIR: z.string().default(".data"),
  AZURITE_TABLE_PORT: z.coerce.number().int().min(1).max(65535).default(10002),
  PLAYGROUND_PORT: z.coerce.number().int().min(1).max(65535).default(56150),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  TIME_ZONE: z.string().default(DEFAULT_TIME_ZONE),
  ENTRA_JWKS_URL: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.string().trim().url().default("https://login.microsoftonline.com/common/discovery/v2.0/keys"),
  ),
  BOSTOTTE_API_AUDIENCE: z.string().optional().transform(emptyToUndefined),
  /** Where role lists are looked up: "graph" (groups, e-mail) or "config" (object ids as written); default graph in production. */
  ROLE_DIRECTORY: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["graph", "config"]).optional()),
  GRAPH_BASE_URL: z.preprocess((v) => (v === "" ? undefined : v), z.string().trim().url().default("https://graph.microsoft.com")),
  ROLE_CACHE_SECONDS: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().min(0).max(3600).default(300)),
});

function emptyToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

type Setting = keyof z.infer<typeof envSchema>;

/** Every environment variable Sparring reads (`infra/main.bicep` may write no other of ours). */
export const SETTING_NAMES: readonly Setting[] = envSchema.keyof().options;

/**
 * What production (BOT_APP_ID set) cannot start without, besides the bot credentials that
 * depend on BOT_APP_TYPE: every name in `always`, and exactly one name of each `oneOf` group.
 */
export const PRODUCTION_SETTINGS = {
  always: ["BOT_APP_ID", "ALLOWED_TENANT_IDS", "DATA_ENCRYPTION_KEY", "CPR_LOOKUP_KEY", "BOSTOTTE_API_AUDIENCE"],
  oneOf: [["STORAGE_ACCOUNT_URL", "STORAGE_CONNECTION_STRING"]],
} as const satisfies { always: readonly Setting[]; oneOf: readonly (readonly Setting[])[] };

const KEY_HELP = "32 random bytes, base64 (e.g. `openssl rand -base64 32`), kept in Key Vault";

const MISSING_IN_PRODUCTION: Record<(typeof PRODUCTION_SETTINGS.always)[number], string> = {
  BOT_APP_ID: "BOT_APP_ID is required in production.",
  ALLOWED_TENANT_IDS:
    "ALLOWED_TENANT_IDS is required when BOT_APP_ID is set: the Entra tenant ids of the municipalities this deployment serves, comma separated.",
  DATA_ENCRYPTION_KEY: `DATA_ENCRYPTION_KEY is required when BOT_APP_ID is set: ${KEY_HELP} as the secret data-encryption-key. It encrypts CPR numbers and case texts.`,
  CPR_LOOKUP_KEY: `CPR_LOOKUP_KEY is required when BOT_APP_ID is set: ${KEY_HELP} as the secret cpr-lookup-key, different from DATA_ENCRYPTION_KEY. It keys the hash that finds a case by CPR number.`,
  BOSTOTTE_API_AUDIENCE:
    "BOSTOTTE_API_AUDIENCE is required when BOT_APP_ID is set: the Application ID URI (e.g. api://sparring-bostotte) and/or the client id of the Sparring API app registration that the municipality's social case system requests its access tokens for, comma separated.",
};

export type StorageSetting =
  /** Production: Table Storage reached with the app's managed identity, no key anywhere. */
  | {
      kind: "account-url";
      accountUrl: string;
      /** The user-assigned managed identity's client id; without it, DefaultAzureCredential. */
      clientId?: string;
    }
  | { kind: "connection-string"; connectionString: string }
  /** Local development: Azurite is started by the bot, data kept under DATA_DIR. */
  | { kind: "local-emulator"; port: number; location: string };

export interface Config {
  port: number;
  /** Production when set: Bot Framework tokens are checked and the host listens publicly. */
  bot:
    | {
        appId: string;
        appPassword?: string;
        appType: string;
        tenantId?: string;
        /** The Bot Framework's OpenID metadata (`BOT_OPENID_METADATA_URL`); botbuilder's public-cloud address when not set. */
        openIdMetadataUrl?: string;
        /** The issuer of the Bot Framework's tokens (`BOT_TOKEN_ISSUER`); botbuilder's public-cloud issuer when not set. */
        tokenIssuer?: string;
      }
    | undefined;
  /** Without a bot app id the bot serves loopback only (SPEC §9). */
  host: string;
  storage: StorageSetting;
  /** Seals CPR numbers and case texts (`DATA_ENCRYPTION_KEY`). */
  encryptionKey: Buffer;
  /** Keys the CPR look-up hash (`CPR_LOOKUP_KEY`); a separate secret from `encryptionKey`. */
  cprLookupKey: Buffer;
  /** Application Insights, when its connection string is set; otherwise no telemetry is started. */
  telemetry: { connectionString: string } | undefined;
  municipalities: ReadonlyMap<string, Municipality>;
  dataDir: string;
  playgroundPort: number;
  logLevel: z.infer<typeof envSchema>["LOG_LEVEL"];
  timeZone: string;
  /** The bostøtte endpoint for the social case system (SPEC §7, §9). */
  bostotteApi: {
    /** Where Entra ID publishes the keys access tokens are signed with. */
    jwksUrl: string;
    /** Accepted token audiences (application ID URI, client id); empty locally when not set. */
    audiences: string[];
    /** Local development only: the shared key in DATA_DIR; never set in production. */
    localKey: string | undefined;
  };
  /** Roles from Entra ID (SPEC §1): where role lists' groups and e-mail addresses are looked up. */
  roles: RoleDirectorySetting;
}

/**
 * Where the role lists of MUNICIPALITIES_FILE are looked up (SPEC §1): in Microsoft Graph with
 * the app's managed identity — groups (transitively) and e-mail addresses as well as object ids,
 * remembered for `cacheSeconds` — or, locally by default, from the file alone (object ids only).
 */
export interface RoleDirectorySetting {
  directory: "graph" | "config";
  /** Microsoft Graph's address (`GRAPH_BASE_URL`); a local stub in tests. */
  graphBaseUrl: string;
  /** How long what Graph said is used before it is asked again (`ROLE_CACHE_SECONDS`). */
  cacheSeconds: number;
  /** The user-assigned managed identity's client id (`AZURE_CLIENT_ID`); without it, DefaultAzureCredential. */
  clientId?: string;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Sparring cannot start: invalid settings\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const production = e.BOT_APP_ID !== undefined;
  const problems: string[] = [];
  for (const setting of SETTING_NAMES) {
    // App Service leaves a Key Vault reference it could not resolve in place, as text.
    if (isKeyVaultReference(env[setting])) {
      problems.push(
        `${setting} is a Key Vault reference that App Service could not resolve: check that the secret exists in the vault and that the app's managed identity has the role "Key Vault Secrets User" (see infra/README.md).`,
      );
    }
  }
  if (production) {
    for (const setting of PRODUCTION_SETTINGS.always) if (!e[setting]) problems.push(MISSING_IN_PRODUCTION[setting]);
    if (!e.STORAGE_ACCOUNT_URL && !e.STORAGE_CONNECTION_STRING) {
      problems.push(
        "Table Storage is not configured: set STORAGE_ACCOUNT_URL (https://<account>.table.core.windows.net, reached with the app's managed identity; recommended) or STORAGE_CONNECTION_STRING, when BOT_APP_ID is set (production).",
      );
    }
    if (e.BOT_APP_TYPE !== "UserAssignedMSI" && !e.BOT_APP_PASSWORD)
      problems.push("BOT_APP_PASSWORD is required unless BOT_APP_TYPE=UserAssignedMSI.");
    if (e.BOT_APP_TYPE !== "MultiTenant" && !e.BOT_TENANT_ID)
      problems.push("BOT_TENANT_ID is required for a SingleTenant or UserAssignedMSI bot registration.");
    if (!e.ENTRA_JWKS_URL.startsWith("https://")) problems.push("ENTRA_JWKS_URL must be an https:// address when BOT_APP_ID is set.");
    if (e.BOT_OPENID_METADATA_URL && !isHttpsAddress(e.BOT_OPENID_METADATA_URL))
      problems.push(
        "BOT_OPENID_METADATA_URL must be an https:// address (the Bot Framework's OpenID metadata document); leave it empty for the public Azure cloud.",
      );
  }
  if (e.STORAGE_ACCOUNT_URL && e.STORAGE_CONNECTION_STRING) {
    problems.push(
      "Both STORAGE_ACCOUNT_URL and STORAGE_CONNECTION_STRING are set: remove one. With STORAGE_ACCOUNT_URL the app signs in with its managed identity and needs no connection string.",
    );
  }
  if (e.STORAGE_ACCOUNT_URL) problems.push(...accountUrlProblems(e.STORAGE_ACCOUNT_URL, production));

  const encryptionKey = e.DATA_ENCRYPTION_KEY ? base64Key("DATA_ENCRYPTION_KEY", e.DATA_ENCRYPTION_KEY, problems) : undefined;
  const cprLookupKey = e.CPR_LOOKUP_KEY ? base64Key("CPR_LOOKUP_KEY", e.CPR_LOOKUP_KEY, problems) : undefined;
  if (encryptionKey && cprLookupKey && encryptionKey.equals(cprLookupKey)) {
    problems.push("CPR_LOOKUP_KEY must be a different key from DATA_ENCRYPTION_KEY: create each with its own `openssl rand -base64 32`.");
  }
  if (e.APPLICATIONINSIGHTS_CONNECTION_STRING && !/InstrumentationKey=/i.test(e.APPLICATIONINSIGHTS_CONNECTION_STRING)) {
    problems.push(
      "APPLICATIONINSIGHTS_CONNECTION_STRING is not an Application Insights connection string (copy it from the resource's Overview page: InstrumentationKey=…;IngestionEndpoint=…).",
    );
  }

  let municipalities = new Map<string, Municipality>();
  try {
    municipalities = readMunicipalities(e.MUNICIPALITIES_FILE);
  } catch (error) {
    problems.push((error as Error).message);
  }
  if (e.ALLOWED_TENANT_IDS) {
    const allowed = e.ALLOWED_TENANT_IDS.split(",")
      .map((t) => t.trim())
      .filter(Boolean);
    for (const tenant of allowed) {
      if (!municipalities.has(tenant))
        problems.push(`Tenant ${tenant} is in ALLOWED_TENANT_IDS but has no entry in ${e.MUNICIPALITIES_FILE}.`);
    }
    municipalities = new Map([...municipalities].filter(([tenant]) => allowed.includes(tenant)));
  }
  if (!isValidTimeZone(e.TIME_ZONE)) problems.push(`TIME_ZONE "${e.TIME_ZONE}" is not a known IANA time zone.`);

  if (production && (e.ROLE_DIRECTORY ?? "graph") === "graph" && !isHttpsAddress(e.GRAPH_BASE_URL)) {
    problems.push("GRAPH_BASE_URL must be an https:// address when BOT_APP_ID is set (Microsoft Graph: https://graph.microsoft.com).");
  }

  if (problems.length > 0) {
    throw new ConfigError(`Sparring cannot start:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }

  const dataDir = path.resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    bot: production
      ? {
          appId: e.BOT_APP_ID!,
          appPassword: e.BOT_APP_PASSWORD,
          appType: e.BOT_APP_TYPE,
          tenantId: e.BOT_TENANT_ID,
          openIdMetadataUrl: e.BOT_OPENID_METADATA_URL,
          tokenIssuer: e.BOT_TOKEN_ISSUER,
        }
      : undefined,
    host: production ? "0.0.0.0" : "127.0.0.1",
    storage: storageSetting(e, dataDir),
    ...dataKeys(encryptionKey, cprLookupKey, dataDir),
    telemetry: e.APPLICATIONINSIGHTS_CONNECTION_STRING ? { connectionString: e.APPLICATIONINSIGHTS_CONNECTION_STRING } : undefined,
    municipalities,
    dataDir,
    playgroundPort: e.PLAYGROUND_PORT,
    logLevel: e.LOG_LEVEL,
    timeZone: e.TIME_ZONE,
    bostotteApi: {
      jwksUrl: e.ENTRA_JWKS_URL,
      audiences: commaList(e.BOSTOTTE_API_AUDIENCE),
      localKey: production ? undefined : localBostotteKey(dataDir),
    },
    roles: {
      directory: e.ROLE_DIRECTORY ?? (production ? "graph" : "config"),
      graphBaseUrl: e.GRAPH_BASE_URL,
      cacheSeconds: e.ROLE_CACHE_SECONDS,
      clientId: e.AZURE_CLIENT_ID,
    },
  };
}

function isHttpsAddress(value: string): boolean {
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
}

function commaList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
}

function readMunicipalities(file: string): Map<string, Municipality> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new ConfigError(`MUNICIPALITIES_FILE ${file} could not be read as JSON: ${(error as Error).message}`);
  }
  const parsed = z.array(municipalitySchema).min(1).safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `    ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`MUNICIPALITIES_FILE ${file} is not a valid list of municipalities:\n${lines.join("\n")}`);
  }
  const map = new Map<string, Municipality>();
  for (const m of parsed.data) {
    if (map.has(m.tenantId)) throw new ConfigError(`MUNICIPALITIES_FILE ${file}: tenant ${m.tenantId} appears twice.`);
    map.set(m.tenantId, m);
  }
  return map;
}

function storageSetting(e: z.infer<typeof envSchema>, dataDir: string): StorageSetting {
  if (e.STORAGE_ACCOUNT_URL) return { kind: "account-url", accountUrl: e.STORAGE_ACCOUNT_URL, clientId: e.AZURE_CLIENT_ID };
  if (e.STORAGE_CONNECTION_STRING) return { kind: "connection-string", connectionString: e.STORAGE_CONNECTION_STRING };
  return { kind: "local-emulator", port: e.AZURITE_TABLE_PORT, location: path.join(dataDir, "azurite") };
}

function accountUrlProblems(value: string, production: boolean): string[] {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // The value is not echoed: a connection string pasted here by mistake carries the account key.
    return ["STORAGE_ACCOUNT_URL is not an address; it looks like https://<account>.table.core.windows.net"];
  }
  if (production && url.protocol !== "https:") return ["STORAGE_ACCOUNT_URL must be an https:// address when BOT_APP_ID is set."];
  if (url.search || url.hash)
    return [
      "STORAGE_ACCOUNT_URL must be the plain table endpoint, without ?… (a SAS token is not supported; the app signs in with its managed identity).",
    ];
  return [];
}

function isKeyVaultReference(value: string | undefined): boolean {
  return value?.trim().startsWith("@Microsoft.KeyVault(") ?? false;
}

function base64Key(setting: string, value: string, problems: string[]): Buffer | undefined {
  if (isKeyVaultReference(value)) return undefined; // reported above
  const key = Buffer.from(value, "base64");
  if (key.length === 32) return key;
  problems.push(`${setting} must be base64 of exactly 32 bytes (\`openssl rand -base64 32\`).`);
  return undefined;
}

/**
 * The two keys: as configured, or (local development) generated once into DATA_DIR.
 *
 * Before the keys were split, the look-up key was derived from the one data key. A
 * developer's `.data` from that time has `encryption.key` but no `cpr-lookup.key`: the
 * look-up key is then derived as before and written down, so existing cases are still
 * found by CPR. The same holds when only DATA_ENCRYPTION_KEY is set outside production.
 */
function dataKeys(
  configured: Buffer | undefined,
  configuredLookup: Buffer | undefined,
  dataDir: string,
): { encryptionKey: Buffer; cprLookupKey: Buffer } {
  const lookupFile = path.join(dataDir, "cpr-lookup.key");
  const hadLocalKey = existsSync(path.join(dataDir, "encryption.key"));
  const encryptionKey = configured ?? localKey(path.join(dataDir, "encryption.key"), () => randomBytes(32));
  if (configuredLookup) return { encryptionKey, cprLookupKey: configuredLookup };
  if (configured) return { encryptionKey, cprLookupKey: legacyCprLookupKey(configured) };
  const cprLookupKey = localKey(lookupFile, () => (hadLocalKey ? legacyCprLookupKey(encryptionKey) : randomBytes(32)));
  return { encryptionKey, cprLookupKey };
}

/** Local development only: a key made once and kept beside the emulator's data, readable by the owner only. */
function localKey(file: string, make: () => Buffer): Buffer {
  if (existsSync(file)) return Buffer.from(readFileSync(file, "utf8").trim(), "base64");
  mkdirSync(path.dirname(file), { recursive: true });
  const key = make();
  writeFileSync(file, key.toString("base64"), { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}

/**
 * Local development only: the shared key a local script sends in `x-sparring-local-key`
 * to call the bostøtte endpoint without Entra ID; generated once, readable by the owner only.
 */
function localBostotteKey(dataDir: string): string {
  const file = path.join(dataDir, "bostotte-local.key");
  const existing = existsSync(file) ? readFileSync(file, "utf8").trim() : "";
  if (existing) return existing;
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString("base64url");
  writeFileSync(file, key, { mode: 0o600 });
  chmodSync(file, 0o600);
  return key;
}

function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("da-DK", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** For entry points: the parsed config, or the operator's message on stderr and exit code 2. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

/** Environment for a child process of the local launcher (Playground, Azurite). */
export function childEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}
