import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { municipalitySchema, type Municipality } from "./domain/municipality.js";
import { DEFAULT_TIME_ZONE } from "./domain/time.js";

/**
 * The only module that reads the environment. Parsed once at start-up; a wrong setting
 * stops the bot with a message an IT operator can act on. `.env.example` lists every key.
 */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3978),
  BOT_APP_ID: z.string().trim().optional().transform(emptyToUndefined),
  BOT_APP_PASSWORD: z.string().optional().transform(emptyToUndefined),
  BOT_APP_TYPE: z.enum(["MultiTenant", "SingleTenant", "UserAssignedMSI"]).default("SingleTenant"),
  BOT_TENANT_ID: z.string().trim().optional().transform(emptyToUndefined),
  STORAGE_CONNECTION_STRING: z.string().trim().optional().transform(emptyToUndefined),
  DATA_ENCRYPTION_KEY: z.string().trim().optional().transform(emptyToUndefined),
  ALLOWED_TENANT_IDS: z.string().optional().transform(emptyToUndefined),
  MUNICIPALITIES_FILE: z.string().default("config/municipalities.json"),
  DATA_DIR: z.string().default(".data"),
  AZURITE_TABLE_PORT: z.coerce.number().int().min(1).max(65535).default(10002),
  PLAYGROUND_PORT: z.coerce.number().int().min(1).max(65535).default(56150),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  TIME_ZONE: z.string().default(DEFAULT_TIME_ZONE),
  ENTRA_JWKS_URL: z.preprocess((v) => (v === "" ? undefined : v), z.string().trim().url().default("https://login.microsoftonline.com/common/discovery/v2.0/keys")),
  BOSTOTTE_API_AUDIENCE: z.string().optional().transform(emptyToUndefined),
});

function emptyToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

export type StorageSetting =
  | { kind: "connection-string"; connectionString: string }
  /** Local development: Azurite is started by the bot, data kept under DATA_DIR. */
  | { kind: "local-emulator"; port: number; location: string };

export interface Config {
  port: number;
  /** Production when set: Bot Framework tokens are checked and the host listens publicly. */
  bot: { appId: string; appPassword?: string; appType: string; tenantId?: string } | undefined;
  /** Without a bot app id the bot serves loopback only (SPEC §9). */
  host: string;
  storage: StorageSetting;
  encryptionKey: Buffer;
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
  if (production) {
    if (!e.STORAGE_CONNECTION_STRING) problems.push("STORAGE_CONNECTION_STRING is required when BOT_APP_ID is set (production).");
    if (!e.DATA_ENCRYPTION_KEY) problems.push("DATA_ENCRYPTION_KEY is required when BOT_APP_ID is set: 32 random bytes, base64 (e.g. `openssl rand -base64 32`), kept in Key Vault.");
    if (!e.ALLOWED_TENANT_IDS) problems.push("ALLOWED_TENANT_IDS is required when BOT_APP_ID is set: the Entra tenant ids of the municipalities this deployment serves, comma separated.");
    if (e.BOT_APP_TYPE !== "UserAssignedMSI" && !e.BOT_APP_PASSWORD) problems.push("BOT_APP_PASSWORD is required unless BOT_APP_TYPE=UserAssignedMSI.");
    if (e.BOT_APP_TYPE !== "MultiTenant" && !e.BOT_TENANT_ID) problems.push("BOT_TENANT_ID is required for a SingleTenant or UserAssignedMSI bot registration.");
    if (!e.BOSTOTTE_API_AUDIENCE) problems.push("BOSTOTTE_API_AUDIENCE is required when BOT_APP_ID is set: the Application ID URI (e.g. api://sparring-bostotte) and/or the client id of the Sparring API app registration that the municipality's social case system requests its access tokens for, comma separated.");
    if (!e.ENTRA_JWKS_URL.startsWith("https://")) problems.push("ENTRA_JWKS_URL must be an https:// address when BOT_APP_ID is set.");
  }

  let encryptionKey: Buffer | undefined;
  if (e.DATA_ENCRYPTION_KEY) {
    encryptionKey = Buffer.from(e.DATA_ENCRYPTION_KEY, "base64");
    if (encryptionKey.length !== 32) problems.push("DATA_ENCRYPTION_KEY must be base64 of exactly 32 bytes.");
  }

  let municipalities = new Map<string, Municipality>();
  try {
    municipalities = readMunicipalities(e.MUNICIPALITIES_FILE);
  } catch (error) {
    problems.push((error as Error).message);
  }
  if (e.ALLOWED_TENANT_IDS) {
    const allowed = e.ALLOWED_TENANT_IDS.split(",").map((t) => t.trim()).filter(Boolean);
    for (const tenant of allowed) {
      if (!municipalities.has(tenant)) problems.push(`Tenant ${tenant} is in ALLOWED_TENANT_IDS but has no entry in ${e.MUNICIPALITIES_FILE}.`);
    }
    municipalities = new Map([...municipalities].filter(([tenant]) => allowed.includes(tenant)));
  }
  if (!isValidTimeZone(e.TIME_ZONE)) problems.push(`TIME_ZONE "${e.TIME_ZONE}" is not a known IANA time zone.`);

  if (problems.length > 0) {
    throw new ConfigError(`Sparring cannot start:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }

  const dataDir = path.resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    bot: production
      ? { appId: e.BOT_APP_ID!, appPassword: e.BOT_APP_PASSWORD, appType: e.BOT_APP_TYPE, tenantId: e.BOT_TENANT_ID }
      : undefined,
    host: production ? "0.0.0.0" : "127.0.0.1",
    storage: e.STORAGE_CONNECTION_STRING
      ? { kind: "connection-string", connectionString: e.STORAGE_CONNECTION_STRING }
      : { kind: "local-emulator", port: e.AZURITE_TABLE_PORT, location: path.join(dataDir, "azurite") },
    encryptionKey: encryptionKey ?? localEncryptionKey(dataDir),
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
  };
}

function commaList(value: string | undefined): string[] {
  return (value ?? "").split(",").map((v) => v.trim()).filter(Boolean);
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

/** Local development only: a key generated once and kept beside the emulator's data. */
function localEncryptionKey(dataDir: string): Buffer {
  const file = path.join(dataDir, "encryption.key");
  if (existsSync(file)) return Buffer.from(readFileSync(file, "utf8").trim(), "base64");
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
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
