import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { notification } from "../../src/domain/notification.js";
import { createDispatcher } from "../../src/sparring.js";
import { keys } from "../../src/storage/table-layout.js";
import { LEASE_MS, SEND_DEADLINE_MS } from "../../src/teams/outbox-dispatcher.js";
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
  const message = notification(
    municipality.tenantId,
    `test:${randomUUID()}`,
    { kind: "personal", aadObjectId: CASEWORKER.aadObjectId },
    { kind: "text", text },
    clock,
  );
  await bot.outbox.commit(scratchPartition(municipality.tenantId), [], [message]);
  return message;
}

const deliveries = (text: string) => bot.sent.filter((s) => s.method === "POST" && s.body.text === text).length;
const advance = (ms: number) => (clock = new Date(clock.getTime() + ms));

async function pointerOf(id: string) {
  return tables.outbox
    .getEntity<{ dueAt: string; attempts: number }>(keys.outboxPartition(municipality.tenantId), id)
    .catch(() => undefined);
}

/** A case partition no case uses: somewhere to commit test messages. */
function scratchPartition(tenantId: string): string {
  return keys.casePartition(tenantId, 1_000_000 + Math.floor(Math.random() * 1_000_000_000));
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
    const message = notification(
      municipality.tenantId,
      `test:${randomUUID()}`,
      { kind: "personal", aadObjectId: stranger },
      { kind: "text", text: "later" },
      clock,
    );
    await bot.outbox.commit(scratchPartition(municipality.tenantId), [], [message]);
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
    // The instance that sent it dies (and with it what it remembered); another one carries on.
    const dying = createDispatcher(bot.deps, bot.outbox, "");
    await dying.runOnce().catch(() => undefined);
    bot.outbox.markSent = originalMark;
    expect(deliveries("crash-window")).toBe(1);
    advance(LEASE_MS - 60_000);
    await bot.dispatcher.runOnce();
    expect(deliveries("crash-window")).toBe(1); // the lease still holds
    advance(60_001);
    await bot.dispatcher.runOnce();
    expect(deliveries("crash-window")).toBe(2);
    expect(await pointerOf(message.id)).toBeUndefined();
  });

  it("drops a pointer whose change never committed, but only after the grace period", async () => {
    const message = notification(
      municipality.tenantId,
      `test:${randomUUID()}`,
      { kind: "personal", aadObjectId: CASEWORKER.aadObjectId },
      { kind: "text", text: "ghost" },
      clock,
    );
    const partition = scratchPartition(municipality.tenantId);
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
    const partition = scratchPartition(municipality.tenantId);
    const make = () =>
      notification(
        municipality.tenantId,
        dedupeKey,
        { kind: "personal", aadObjectId: CASEWORKER.aadObjectId },
        { kind: "text", text: "once" },
        clock,
      );
    await bot.outbox.commit(partition, [], [make()]);
    await expect(bot.outbox.commit(partition, [], [make()])).rejects.toThrow();
    advance(1_000);
    await bot.dispatcher.runOnce();
    advance(60_000);
    await bot.dispatcher.runOnce();
    expect(deliveries("once")).toBe(1);
  });
});

describe("delivering notifications under races and faults", () => {
  let now = new Date("2026-11-23T09:00:00Z");
  const tenant = testMunicipality();
  let h: BotHarness;

  beforeAll(async () => {
    h = await startBotHarness({ municipality: tenant, tables, now: () => now });
    await h.post({ ...h.base(CASEWORKER), type: "installationUpdate", action: "add" });
  });
  afterAll(() => h.close());

  const later = (ms: number) => (now = new Date(now.getTime() + ms));
  const delivered = (text: string) => h.sent.filter((s) => s.method === "POST" && s.body.text === text).length;
  const message = (text: string, dedupeKey = `test:${randomUUID()}`) =>
    notification(tenant.tenantId, dedupeKey, { kind: "personal", aadObjectId: CASEWORKER.aadObjectId }, { kind: "text", text }, now);
  const pointer = (id: string) =>
    tables.outbox
      .getEntity<{ dueAt: string; attempts: number; leaseUntil: string }>(keys.outboxPartition(tenant.tenantId), id)
      .catch(() => undefined);
  /** Runs until nothing is due any more, moving the clock on between runs. */
  async function drain() {
    for (let i = 0; i < 8; i++) {
      later(11 * 60_000);
      await h.dispatcher.runOnce();
    }
  }

  it("does not free a message that another instance is sending when the same event is announced again", async () => {
    const partition = scratchPartition(tenant.tenantId);
    const dedupeKey = `test:${randomUUID()}`;
    await h.outbox.commit(partition, [], [message("announced-twice", dedupeKey)]);
    const [due] = await h.outbox.due(tenant.tenantId, now, 40);
    expect(await h.outbox.claim(due!, now, 60_000)).toBeDefined(); // another instance is sending it
    // A repeated change (re-delivered turn, second instance of a job) announces the same message; its batch fails.
    await expect(h.outbox.commit(partition, [], [message("announced-twice", dedupeKey)])).rejects.toThrow();
    later(1_000);
    expect((await h.dispatcher.runOnce()).sent).toBe(0);
    expect(delivered("announced-twice")).toBe(0);
    await drain();
    expect(delivered("announced-twice")).toBe(1);
  });

  it("keeps a message whose change commits while its stale pointer is being dropped", async () => {
    const dedupeKey = `agenda:${randomUUID()}`;
    const partition = scratchPartition(tenant.tenantId);
    // The first attempt's change conflicts: its pointer is left behind.
    await tables.cases.createEntity({ partitionKey: partition, rowKey: "meeting" });
    await expect(
      h.outbox.commit(partition, [["create", { partitionKey: partition, rowKey: "meeting" }]], [message("raced", dedupeKey)]),
    ).rejects.toThrow();
    later(3 * 60_000);
    // The job tries again (same event, same message id) just as a dispatcher finds the old pointer without its message.
    const load = h.outbox.load.bind(h.outbox);
    h.outbox.load = async (p) => {
      const found = await load(p);
      if (!found)
        await h.outbox.commit(
          partition,
          [["upsert", { partitionKey: partition, rowKey: "meeting", published: true }]],
          [message("raced", dedupeKey)],
        );
      return found;
    };
    try {
      await h.dispatcher.runOnce();
    } finally {
      h.outbox.load = load;
    }
    await drain();
    expect(delivered("raced")).toBe(1);
  });

  it("sends a message seen between its announcement and its commit seconds later, not minutes", async () => {
    const early = message("seen-early");
    const partition = scratchPartition(tenant.tenantId);
    const submit = tables.cases.submitTransaction.bind(tables.cases);
    let commitNow!: () => void;
    const gate = new Promise<void>((resolve) => (commitNow = resolve));
    tables.cases.submitTransaction = async (actions) => {
      await gate;
      return submit(actions);
    };
    let committing: Promise<void>;
    try {
      committing = h.outbox.commit(partition, [], [early]);
      await vi.waitFor(async () => expect(await pointer(early.id)).toBeDefined());
      expect((await h.dispatcher.runOnce()).retried).toBe(1);
    } finally {
      tables.cases.submitTransaction = submit;
    }
    commitNow();
    await committing;
    later(15_000);
    expect((await h.dispatcher.runOnce()).sent).toBe(1);
    expect(delivered("seen-early")).toBe(1);
  });

  it("delivers the other messages when one cannot be read, and retries that one with backoff", async () => {
    const broken = message("broken");
    const brokenPartition = scratchPartition(tenant.tenantId);
    await h.outbox.commit(brokenPartition, [], [broken]);
    await tables.cases.updateEntity({ partitionKey: brokenPartition, rowKey: `outbox|${broken.id}`, content: "{not json" }, "Merge");
    later(1_000);
    await h.outbox.commit(scratchPartition(tenant.tenantId), [], [message("healthy")]);
    later(1_000);
    try {
      expect(await h.dispatcher.runOnce()).toMatchObject({ sent: 1, retried: 1 });
      expect(delivered("healthy")).toBe(1);
      const after = await pointer(broken.id);
      expect(after).toMatchObject({ attempts: 1, leaseUntil: "" });
      expect(Date.parse(after!.dueAt)).toBeGreaterThan(now.getTime());
    } finally {
      await tables.outbox.deleteEntity(keys.outboxPartition(tenant.tenantId), broken.id);
    }
  });

  it("retries a 401 (the bot's credentials failing) instead of giving the message up", async () => {
    const m = message("unauthorised");
    await h.outbox.commit(scratchPartition(tenant.tenantId), [], [m]);
    h.script.push({ status: 401 });
    expect((await h.dispatcher.runOnce()).retried).toBe(1);
    await drain();
    expect(delivered("unauthorised")).toBe(1);
  });

  it("does not let a second instance send a message while the first is still inside the client's own Retry-After wait", async () => {
    const m = message("slow-send");
    await h.outbox.commit(scratchPartition(tenant.tenantId), [], [m]);
    const second = createDispatcher(h.deps, h.outbox, "");
    h.script.push({ status: 429, headers: { "retry-after": "2" } });
    const first = h.dispatcher.runOnce();
    await vi.waitFor(async () => expect((await pointer(m.id))?.leaseUntil).not.toBe(""));
    later(SEND_DEADLINE_MS); // However long Teams asks the client to wait, up to the send deadline, the lease holds.
    await second.runOnce();
    await first;
    await drain();
    expect(delivered("slow-send")).toBe(1);
  });
});
