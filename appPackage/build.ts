import { readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ManifestUtil, type TeamsAppManifest } from "@microsoft/app-manifest";
import { zipSync } from "fflate";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ZERO_ID = "00000000-0000-0000-0000-000000000000";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The manifest with the bot's app id filled in. */
export function buildManifest(botId: string): TeamsAppManifest {
  if (!GUID.test(botId)) throw new Error(`The bot app id must be a GUID, got "${botId}"`);
  const template = readFileSync(path.join(HERE, "manifest.template.json"), "utf8");
  return JSON.parse(template.replaceAll("${{BOT_APP_ID}}", botId)) as TeamsAppManifest;
}

/** Schema errors against the Teams manifest schema shipped offline in @microsoft/app-manifest. */
export async function validateManifest(manifest: TeamsAppManifest): Promise<string[]> {
  const require = createRequire(import.meta.url);
  const schemaFile = require.resolve(
    `@microsoft/app-manifest/build/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`,
  );
  const schema = JSON.parse(readFileSync(schemaFile, "utf8"));
  return ManifestUtil.validateManifestAgainstSchema(manifest, schema);
}

/** The zip Teams admins upload: manifest.json plus the two icons. */
export function packageApp(manifest: TeamsAppManifest): Uint8Array {
  return zipSync({
    "manifest.json": new TextEncoder().encode(JSON.stringify(manifest, null, 2)),
    "color.png": readFileSync(path.join(HERE, "color.png")),
    "outline.png": readFileSync(path.join(HERE, "outline.png")),
  });
}

async function main(): Promise<void> {
  const flag = process.argv.indexOf("--bot-id");
  const botId = flag >= 0 ? (process.argv[flag + 1] ?? "") : ZERO_ID;
  if (flag < 0) console.warn(`No --bot-id given: using ${ZERO_ID} (fine for a schema check, not for upload).`);
  const manifest = buildManifest(botId);
  const errors = await validateManifest(manifest);
  if (errors.length > 0) {
    console.error(`The Teams manifest is not valid:\n${errors.map((e) => `  - ${e}`).join("\n")}`);
    process.exit(1);
  }
  const out = path.join(HERE, "build", "sparring.zip");
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, packageApp(manifest));
  console.log(`Wrote ${path.relative(process.cwd(), out)} (manifest ${manifest.manifestVersion}, bot ${botId}).`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) void main();
