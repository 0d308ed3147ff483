import { randomUUID } from "node:crypto";
import net from "node:net";
import { performance } from "node:perf_hooks";
import { TableClient } from "@azure/data-tables";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parseMeetingKey } from "../../src/domain/booking.js";
import { notification } from "../../src/domain/notification.js";
import { keys } from "../../src/storage/table-layout.js";
import { LEASE_MS } from "../../src/teams/outbox-dispatcher.js";
import { openTables, type TableClients } from "../../src/storage/table-storage.js";
import { TEXT } from "../../src/teams/messages.js";
import { VERBS } from "../../src/teams/verbs.js";
import { LOCAL_KEY_HEADER, LOCAL_TENANT_HEADER } from "../../src/teams/bostotte-route.js";
import { cardTexts, inputValue, LOCAL_BOSTOTTE_KEY, startBotHarness, type BotHarness } from "../support/bot-harness.js";
import { CASEWORKER, COORDINATOR, fakeCprForAge, testMunicipality, validDraft } from "../support/fixtures.js";

/*
 * Defects the load and fault tests (`npm run test:load`, `npm run test:faults`, test/load/)
 * found, each pinned here as a bot turn over HTTP on Azurite.
 */

const municipality = testMunicipality();
let bot: BotHarness;
let tables: TableClients;

beforeAll(async () => {
  tables = await openTables(inject("azuriteConnectionString"));
  bot = await startBotHarness({ municipality, tables });
});
afterAll(() => bot.close());

function formFields(age: number) {
  const d = validDraft({ cpr: fakeCprForAge(age) });
  return {
    cpr: d.cpr,
    health: d.health,
    social: d.social,
    question: d.question,
    department: d.department,
    acute: "false",
    acuteReason: "",
  };
}

describe("a double-clicked form", () => {
  it("holds one meeting slot, however the two presses interleave", async () => {
    // Both presses claim a slot while the case is not stored yet; the one whose case is not stored must give its slot back.
    for (let round = 0; round < 5; round++) {
      const data = { submissionId: randomUUID(), ...formFields(round % 2 === 0 ? 45 : 20) };
      const answers = await Promise.all([bot.execute(VERBS.submitCase, data, CASEWORKER), bot.execute(VERBS.submitCase, data, CASEWORKER)]);
      const references = new Set(answers.map((a) => cardTexts(a.body.value).find((t) => /^SP-\d{4}$/.test(t))));
      expect(references.size).toBe(1);
      const caseNo = Number([...references][0]!.slice(3));
      const record = await bot.deps.cases.get(municipality.tenantId, caseNo);
      const bookings = await bot.deps.meetings.bookings(municipality.tenantId, parseMeetingKey(record!.meetingKey!)!);
      expect(bookings.filter((b) => b.caseNo === caseNo)).toEqual([{ slot: record!.slot, caseNo }]);
    }
  });
});

/** A bot whose storage does not answer: every table on a port nobody listens on. */
async function botWithoutStorage(): Promise<BotHarness> {
  const dead = TableClient.fromConnectionString(inject("azuriteConnectionString").replace(/:\d+\//, ":1/"), "cases", {
    allowInsecureConnection: true,
    retryOptions: { maxRetries: 0 },
  });
  return startBotHarness({ municipality, tables: { cases: dead, caseIndex: dead, addresses: dead, outbox: dead } });
}

describe("a card action while storage is down", () => {
  it("is answered with a Danish 'prøv igen' that leaves the card and what was typed on it as it was", async () => {
    const broken = await botWithoutStorage();
    try {
      const presses = [
        [VERBS.decideCase, { caseNo: 1, version: 1, decision: "no-basis", note: "Borgeren er i et andet forløb." }, COORDINATOR],
        [VERBS.showCaseDetails, { caseNo: 1 }, COORDINATOR],
        [VERBS.openPlan, { caseNo: 1 }, CASEWORKER],
        [VERBS.addInformation, { caseNo: 1, version: 2, information: "Lægeerklæringen er vedlagt." }, CASEWORKER],
      ] as const;
      for (const [verb, data, user] of presses) {
        const res = await broken.execute(verb, data, user);
        // An answer of type message: Teams shows the text and keeps the card, inputs and all (no HTTP 500/501).
        expect(res.status).toBe(200);
        expect(res.body.type).toBe("application/vnd.microsoft.activity.message");
        expect(res.body.value).toContain("prøv igen");
      }
    } finally {
      await broken.close();
    }
  });
});

/** A TCP proxy in front of Azurite that can be cut: from then on every connection is refused, as when storage is down. */
async function cuttableStorage(): Promise<{ connectionString: string; cut(): Promise<void> }> {
  const azurite = inject("azuriteConnectionString");
  const port = Number(/:(\d+)\//.exec(azurite)![1]);
  const sockets = new Set<net.Socket>();
  const proxy = net.createServer((client) => {
    const upstream = net.connect(port, "127.0.0.1");
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("error", () => undefined).on("close", () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const proxyPort = (proxy.address() as net.AddressInfo).port;
  return {
    connectionString: azurite.replace(/:\d+\//, `:${proxyPort}/`),
    async cut() {
      const closed = new Promise<void>((resolve) => proxy.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

describe("a turn when storage stops answering", () => {
  it("gives the form back with the Danish 'prøv igen' well inside the 5 s Teams waits", async () => {
    const storage = await cuttableStorage();
    const cut = await startBotHarness({ municipality, tables: await openTables(storage.connectionString) });
    try {
      const fields = formFields(45);
      await storage.cut();
      const started = performance.now();
      const res = await cut.execute(VERBS.submitCase, { submissionId: randomUUID(), ...fields }, CASEWORKER);
      const ms = performance.now() - started;
      expect(cardTexts(res.body.value)).toContain(TEXT.storageDown);
      for (const [id, value] of Object.entries(fields)) expect(inputValue(res.body.value, id)).toBe(value);
      // The storage client's default retries (about 1 + 2 + 4 s with back-off) made this take over 7 s.
      expect(ms).toBeLessThan(3_000);
    } finally {
      await cut.close();
    }
  });
});

describe("a bostøtte event while storage is down", () => {
  it("is answered 503 with Retry-After, so the case system sends it again, instead of 500", async () => {
    const broken = await botWithoutStorage();
    try {
      const res = await fetch(broken.endpoint.replace("/api/messages", "/api/bostotte/events"), {
        method: "POST",
        headers: {
          "content-type": "application/json",
          [LOCAL_KEY_HEADER]: LOCAL_BOSTOTTE_KEY,
          [LOCAL_TENANT_HEADER]: municipality.tenantId,
        },
        body: JSON.stringify({
          version: "1",
          eventId: `outage-${randomUUID()}`,
          kind: "refusal",
          cpr: fakeCprForAge(40),
          legalBasis: "sel-85",
          reasonCategory: "andet",
          decidedAt: new Date().toISOString(),
        }),
      });
      expect(res.status).toBe(503);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await res.json()).toMatchObject({ error: expect.stringContaining("send the same event again") });
    } finally {
      await broken.close();
    }
  });
});

describe("a message Teams accepted just before storage stopped answering", () => {
  it("is marked sent once storage answers again, and not sent a second time when its lease runs out", async () => {
    let clock = new Date();
    const harness = await startBotHarness({ municipality, tables, now: () => clock });
    try {
      await harness.post({ ...harness.base(CASEWORKER), type: "installationUpdate", action: "add" });
      const text = `Besked ${randomUUID()}`;
      const message = notification(
        municipality.tenantId,
        `test:${randomUUID()}`,
        { kind: "personal", aadObjectId: CASEWORKER.aadObjectId },
        { kind: "text", text },
        clock,
      );
      await harness.outbox.commit(keys.casePartition(municipality.tenantId, 3_000_000 + Math.floor(Math.random() * 1e9)), [], [message]);
      const deliveries = () => harness.sent.filter((s) => s.method === "POST" && s.body.text === text).length;

      // Storage stops answering right after Teams accepted the message: the "sent" mark cannot be written.
      const markSent = harness.outbox.markSent.bind(harness.outbox);
      harness.outbox.markSent = async () => {
        throw new Error("connect ECONNREFUSED (storage down)");
      };
      expect((await harness.dispatcher.runOnce()).sent).toBe(1);
      expect(await harness.dispatcher.runOnce()).toEqual({ sent: 0, retried: 0, failed: 0, dropped: 0 });
      harness.outbox.markSent = markSent;

      await harness.dispatcher.runOnce();
      clock = new Date(clock.getTime() + LEASE_MS + 60_000);
      await harness.dispatcher.runOnce();
      expect(deliveries()).toBe(1);
      const pointer = await tables.outbox.getEntity(keys.outboxPartition(municipality.tenantId), message.id).catch(() => undefined);
      expect(pointer).toBeUndefined();
    } finally {
      await harness.close();
    }
  });
});
