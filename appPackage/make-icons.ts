import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { crc32, deflateSync } from "node:zlib";

/**
 * Draws the two Teams icons (a speech bubble) as PNGs: `color.png` 192×192 on the accent
 * colour, `outline.png` 32×32 white on transparent. Run once; the PNGs are committed.
 */
type Pixel = [number, number, number, number];

function png(size: number, pixel: (x: number, y: number) => Pixel): Buffer {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) raw.set(pixel(x, y), y * (size * 4 + 1) + 1 + x * 4);
  }
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** Inside a rounded speech bubble with a tail at the lower left, in unit coordinates. */
function inBubble(u: number, v: number): boolean {
  const inBody = u > 0.15 && u < 0.85 && v > 0.18 && v < 0.68;
  const corner = (cx: number, cy: number) => (u - cx) ** 2 + (v - cy) ** 2 <= 0.1 ** 2;
  const roundedOff = (u < 0.25 || u > 0.75) && (v < 0.28 || v > 0.58) && !corner(u < 0.5 ? 0.25 : 0.75, v < 0.5 ? 0.28 : 0.58);
  const tail = v >= 0.68 && v < 0.85 && u > 0.28 && u < 0.28 + (0.85 - v) * 0.9;
  return (inBody && !roundedOff) || tail;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const accent: Pixel = [0x1e, 0x5a, 0xa8, 255];
const white: Pixel = [255, 255, 255, 255];
const clear: Pixel = [0, 0, 0, 0];
writeFileSync(
  path.join(here, "color.png"),
  png(192, (x, y) => (inBubble(x / 192, y / 192) ? white : accent)),
);
writeFileSync(
  path.join(here, "outline.png"),
  png(32, (x, y) => (inBubble((x + 0.5) / 32, (y + 0.5) / 32) ? white : clear)),
);
console.log("Wrote appPackage/color.png and appPackage/outline.png");
