import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** Under the repository, so the bot finds `cards/` and `node_modules/` as `dist/` does. */
export const BOT_BUILD_DIR = path.join(REPO, "node_modules", ".cache", "sparring-load");

/**
 * `src/` as plain JavaScript, as production runs it (`node dist/src/main.js`), so the
 * bot's memory is measured without tsx's loader (which adds about 80 MB). Each file is
 * transpiled on its own (no type check: `npm run typecheck` does that), which takes a
 * few seconds instead of a full `tsc` build; a file unchanged since the last run is not
 * transpiled again. Returns the entry point.
 */
export function buildBot(): string {
  const options: ts.CompilerOptions = { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false };
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const from = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(from);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
        const to = path.join(BOT_BUILD_DIR, path.relative(REPO, from)).replace(/\.ts$/, ".js");
        if (existsSync(to) && statSync(to).mtimeMs >= statSync(from).mtimeMs) continue;
        mkdirSync(path.dirname(to), { recursive: true });
        writeFileSync(to, ts.transpileModule(readFileSync(from, "utf8"), { compilerOptions: options, fileName: from }).outputText);
      }
    }
  };
  walk(path.join(REPO, "src"));
  // node_modules/ ends Node's search for the package scope: say that these files are ES modules.
  writeFileSync(path.join(BOT_BUILD_DIR, "package.json"), JSON.stringify({ type: "module" }));
  return path.join(BOT_BUILD_DIR, "src", "main.js");
}
