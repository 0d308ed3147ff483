import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { notification } from "../../src/domain/notification.js";
import { createDispatcher } from "../../src/sparring.js";
import { keys } from "../../src/storage/table-layout.js";
import { openTables, type TableClients } from "../../src/storage/table-storage.js";
import { startBotHarness, type BotHarness } from "../support/bot-harness.js";
import { CASEWORKER, testMunicipality } from "../support/fixtures.js";

let clock = new Date("2026-11-23T09:00:00Z");
const municipality = testMunicipality();
let tables: TableClients;
let bot: BotHarness;

beforeAll(async () => {
  tables = await openTables(inject("azuriteConnectionString"));
  bot = await startBotHarness({ municipality, tables, now: () => clock });
  await bot.post({ ...bot.base(CASEWORKER), type: "installationUpdate", action: "add" });
});
afterAll(() => bot.close());

/** Puts a text message for the caseworker in a throwaway partition, as a change would. */
async function enqueue(text: string) {
  const message = notification(municipality.tenantId, `test:${randomUUID()}`, { kind: "personal", aadObjectId: CASEWORKER.aadObjectId }, { kind: "text", text }, clock);
  await bot.outbox.commit(`${municipality.tenantId}|test|${randomUUID()}`, [], [message]);
  return message;
}

const deliveries = (text: string) => bot.sent.filter((s) => s.method === "POST" && s.body.text === text).length;
const advance = (ms: number) => (clock = new Date(clock.getTime() + ms));

async function pointerOf(id: string) {
  return tables.outbox.getEntity<{ dueAt: string; attempts: number }>(keys.outboxPartition(municipality.tenantId), id).catch(() => undefined);
}

describe("delivering notifications", () => {
  it("rides out 429 (honouring Retry-After) and 500, then delivers exactly once", async () => {
    // The Bot Framework client retries these within the request; Retry-After is respected.
    await enqueue("throttled");
    bot.script.push({ status: 429, headers: { "retry-after": "1" } }, { status: 500 });
    const started = Date.now();
    expect((await bot.dispatcher.runOnce()).sent).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    advance(60_000);
    await bot.dispatcher.runOnce();
    expect(deliveries("throttled")).toBe(1);
  });

  it("keeps a message through an outage longer than the client's own retries, and delivers it later", async () => {
    const message = await enqueue("outage");
    for (let i = 0; i < 6; i++) bot.script.push({ status: 503, headers: { "retry-after": "0" } });
    expect((await bot.dispatcher.runOnce()).retried).toBe(1);
    const pointer = await pointerOf(message.id);
    expect(pointer).toMatchObject({ attempts: 1 });
    expect(Date.parse(pointer!.dueAt)).toBeGreaterThan(clock.getTime());
    expect(await bot.dispatcher.runOnce()).toMatchObject({ sent: 0 }); // not due yet
    bot.script.length = 0;
    advance(60_000);
    expect((await bot.dispatcher.runOnce()).sent).toBe(1);
    advance(60_000);
    await bot.dispatcher.runOnce();
    expect(deliveries("outage")).toBe(1);
    expect(await pointerOf(message.id)).toBeUndefined();
  });

  it("gives up on 403 (the user blocked the bot) without retrying", async () => {
    const message = await enqueue("blocked");
    bot.script.push({ status: 403 });
    expect((await bot.dispatcher.runOnce()).failed).toBe(1);
    advance(3_600_000);
    await bot.dispatcher.runOnce();
    expect(deliveries("blocked")).toBe(0);
    expect(await pointerOf(message.id)).toBeUndefined();
  });

  it("waits for a conversation to exist instead of dropping the message", async () => {
    const stranger = randomUUID();
    const message = notification(municipality.tenantId, `test:${randomUUID()}`, { kind: "personal", aadObjectId: stranger }, { kind: "text", text: "later" }, clock);
    await bot.outbox.commit(`${municipality.tenantId}|test|${randomUUID()}`, [], [message]);
    expect((await bot.dispatcher.runOnce()).retried).toBe(1);
    await bot.post({ ...bot.base({ aadObjectId: stranger, name: "Ny" }), type: "installationUpdate", action: "add" });
    advance(120_000);
    expect((await bot.dispatcher.runOnce()).sent).toBe(1);
    expect(deliveries("later")).toBe(1);
  });

  it("delivers each of 10 messages once with two dispatcher instances running at the same time", async () => {
    const texts = Array.from({ length: 10 }, (_, i) => `parallel-${i}`);
    for (const t of texts) await enqueue(t);
    const second = createDispatcher(bot.deps, bot.outbox, "");
    await Promise.all([bot.dispatcher.runOnce(), second.runOnce()]);
    advance(60_000);
    await Promise.all([bot.dispatcher.runOnce(), second.runOnce()]);
    expect(texts.map(deliveries)).toEqual(texts.map(() => 1));
  });

  it("sends again after a crash between send and mark: at least once, the documented outcome", async () => {
    const message = await enqueue("crash-window");
    const originalMark = bot.outbox.markSent.bind(bot.outbox);
    bot.outbox.markSent = async () => {
      throw new Error("instance died after Teams accepted the message");
    };
    await bot.dispatcher.runOnce().catch(() => undefined);
    bot.outbox.markSent = originalMark;
    expect(deliveries("crash-window")).toBe(1);
    advance(10_000);
    await bot.dispatcher.runOnce();
    expect(deliveries("crash-window")).toBe(1); // the lease still holds
    advance(30_000);
    await bot.dispatcher.runOnce();
    expect(deliveries("crash-window")).toBe(2);
    expect(await pointerOf(message.id)).toBeUndefined();
  });

  it("drops a pointer whose change never committed, but only after the grace period", async () => {
    const message = notification(municipality.tenantId, `test:${randomUUID()}`, { kind: "personal", aadObjectId: CASEWORKER.aadObjectId }, { kind: "text", text: "ghost" }, clock);
    const partition = `${municipality.tenantId}|test|${randomUUID()}`;
    // The change conflicts (an entity already there), so the batch fails after the pointer was written.
    await tables.cases.createEntity({ partitionKey: partition, rowKey: "case" });
    await expect(bot.outbox.commit(partition, [["create", { partitionKey: partition, rowKey: "case" }]], [message])).rejects.toThrow();
    expect(await pointerOf(message.id)).toBeDefined();
    expect((await bot.dispatcher.runOnce()).dropped).toBe(0);
    advance(3 * 60_000);
    expect((await bot.dispatcher.runOnce()).dropped).toBe(1);
    expect(deliveries("ghost")).toBe(0);
  });

  it("never creates two messages for the same event", async () => {
    const dedupeKey = `test:${randomUUID()}`;
    const partition = `${municipality.tenantId}|test|${randomUUID()}`;
    const make = () => notification(municipality.tenantId, dedupeKey, { kind: "personal", aadObjectId: CASEWORKER.aadObjectId }, { kind: "text", text: "once" }, clock);
    await bot.outbox.commit(partition, [], [make()]);
    await expect(bot.outbox.commit(partition, [], [make()])).rejects.toThrow();
    advance(1_000);
    await bot.dispatcher.runOnce();
    advance(60_000);
    await bot.dispatcher.runOnce();
    expect(deliveries("once")).toBe(1);
  });
});
