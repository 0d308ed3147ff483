import type { ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { loadConfig } from "../../src/config.js";
import { freePort, localStorage, stopChild } from "../../src/dev/azurite.js";
import type { DemoUserKey } from "../../src/dev/demo-tenant.js";
import { startPlayground } from "../../src/dev/playground.js";
import { createLogger } from "../../src/logger.js";
import { startSparring, type RunningSparring } from "../../src/sparring.js";

export const RESULTS_DIR = path.resolve("test-results");
const CHROMIUM = "/usr/bin/chromium";

/**
 * The whole product as `npm start` runs it — Azurite, bot, Microsoft 365 Agents
 * Playground — on free ports with fresh data, and a headless Chromium looking at it.
 */
export async function startStack(current: DemoUserKey = "caseworker") {
  const dataDir = mkdtempSync(path.join(tmpdir(), "sparring-e2e-"));
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    AZURITE_TABLE_PORT: String(await freePort()),
    PLAYGROUND_PORT: String(await freePort()),
    LOG_LEVEL: "warn",
  });
  const logger = createLogger("warn");
  const storage = await localStorage(config, logger);
  const sparring: RunningSparring = await startSparring(config, logger, storage.connectionString);
  let playground: ChildProcess | undefined;
  let browser: Browser | undefined;
  try {
    playground = await startPlayground({
      dataDir,
      port: config.playgroundPort,
      botEndpoint: `http://127.0.0.1:${sparring.port}/api/messages`,
      current,
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
    });
  } catch (error) {
    await stopChild(playground as ChildProcess).catch(() => undefined);
    await sparring.stop();
    await storage.stop();
    throw error;
  }
  const others: ChildProcess[] = [];
  let page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  await page.goto(`http://localhost:${config.playgroundPort}`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  return {
    get page() {
      return page;
    },
    /** The bot's settings and its storage, for a spec that seeds data through the use cases or ports. */
    config,
    storageConnectionString: storage.connectionString,
    /**
     * Signs in as someone else: the Playground shows one user per run, so it is restarted
     * with that user's config against the same bot and storage (see README).
     */
    async switchUser(user: DemoUserKey) {
      await page.close();
      if (playground) await stopChild(playground);
      playground = await startPlayground({
        dataDir,
        port: config.playgroundPort,
        botEndpoint: `http://127.0.0.1:${sparring.port}/api/messages`,
        current: user,
      });
      page = await browser!.newPage({ viewport: { width: 1280, height: 1400 } });
      await page.goto(`http://localhost:${config.playgroundPort}`);
    },
    /**
     * A second person at the same time: another Playground, on its own port, signed in as
     * `user`, against the same bot. Replies and proactive messages go to whichever
     * Playground the conversation was saved from.
     */
    async addPerson(user: DemoUserKey) {
      const port = await freePort();
      const child = await startPlayground({ dataDir, port, botEndpoint: `http://127.0.0.1:${sparring.port}/api/messages`, current: user });
      others.push(child);
      const other = await browser!.newPage({ viewport: { width: 1280, height: 1400 } });
      await other.goto(`http://localhost:${port}`);
      return other;
    },
    async stop() {
      await browser?.close();
      for (const child of others) await stopChild(child);
      if (playground) await stopChild(playground);
      await sparring.stop();
      await storage.stop();
    },
  };
}

/** Types into the Playground's compose box and sends, as a user would. */
export async function say(page: Page, text: string): Promise<void> {
  const box = page.locator("[role=textbox][contenteditable=true]");
  await box.click();
  await page.keyboard.type(text);
  await page.keyboard.press("Enter");
}

export function lastCard(page: Page) {
  return page.locator(".ac-adaptiveCard").last();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(RESULTS_DIR, `${name}.png`), fullPage: true });
}

/** Writes a channel post that @mentions the bot, through the Playground's @ picker. */
export async function postToBot(page: Page, channelName: string, text: string): Promise<void> {
  await page.getByText(channelName).first().click();
  const box = page.locator("[role=textbox][contenteditable=true]").first();
  // The mention picker lists the bot by display name. On a loaded machine the picker can come
  // late, and "Sparring" elsewhere on the page would be clicked instead: check the mention is in
  // the box, and type it again if not.
  for (let attempt = 1; ; attempt++) {
    await box.click();
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.press("Backspace");
    await page.keyboard.type("@Spa");
    await page.getByText("Sparring", { exact: true }).last().click();
    if ((await box.innerText()).includes("Sparring")) break;
    if (attempt === 3) throw new Error(`the Playground did not insert the @Sparring mention: ${await box.innerText()}`);
    await page.waitForTimeout(500);
  }
  await box.click();
  await page.keyboard.press("End");
  await page.keyboard.type(` ${text}`);
  await page.getByRole("button", { name: "Post" }).click();
}
