import { readFileSync } from "node:fs";
import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { buildManifest, packageApp, validateManifest } from "../../appPackage/build.js";

const BOT = "11111111-2222-4333-8444-555555555555";

function pngSize(file: string): [number, number] {
  const png = readFileSync(file);
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

describe("the Teams app package", () => {
  it("fills in the bot id and validates against the offline Teams manifest schema", async () => {
    const manifest = buildManifest(BOT);
    expect(manifest.id).toBe(BOT);
    expect(manifest.bots?.[0]?.botId).toBe(BOT);
    expect(await validateManifest(manifest)).toEqual([]);
  });

  it("fails validation when a required field is missing", async () => {
    const manifest = buildManifest(BOT);
    delete (manifest.bots![0] as { botId?: string }).botId;
    expect((await validateManifest(manifest)).length).toBeGreaterThan(0);
  });

  it("refuses a bot id that is not a GUID", () => {
    expect(() => buildManifest("not-a-guid")).toThrow(/GUID/);
  });

  it("ships a 192×192 colour icon and a 32×32 outline icon", () => {
    expect(pngSize("appPackage/color.png")).toEqual([192, 192]);
    expect(pngSize("appPackage/outline.png")).toEqual([32, 32]);
  });

  it("zips exactly the manifest and the two icons", () => {
    const files = unzipSync(packageApp(buildManifest(BOT)));
    expect(Object.keys(files).sort()).toEqual(["color.png", "manifest.json", "outline.png"]);
    expect(JSON.parse(new TextDecoder().decode(files["manifest.json"])).id).toBe(BOT);
  });
});
