import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { BostotteDecision, BostotteRecord } from "../../src/domain/bostotte.js";
import type { CitizenLinks } from "../../src/domain/citizen.js";
import { notification, type Notification } from "../../src/domain/notification.js";
import type { AuditEntry, BostotteClaim, CitizenRepository } from "../../src/domain/ports.js";
import { FieldCipher } from "../../src/storage/field-cipher.js";
import { TableCitizenRepository } from "../../src/storage/table-citizen-repository.js";
import { keys } from "../../src/storage/table-layout.js";
import { TableOutbox } from "../../src/storage/table-outbox.js";
import { fakeCpr } from "../support/fixtures.js";
import { InMemoryOutbox } from "../support/in-memory/index.js";
import { citizenSource, InMemoryCitizenRepository } from "../support/in-memory/citizen-repository.js";
import { azuriteTables, messageRows } from "../support/table-rows.js";

interface Subject {
  citizens: CitizenRepository;
  /** The messages committed beside a citizen, as their dedupe keys. */
  messagesOf(tenantId: string, citizenId: string): Promise<string[]>;
}

const NOW = new Date("2026-11-23T10:00:00Z");
const A = "aaaaaaaa-3333-4000-8000-000000000001";
const B = "aaaaaaaa-3333-4000-8000-000000000002";
const audit = (action: AuditEntry["action"], user = A): AuditEntry => ({ at: NOW.toISOString(), user, action, purpose: "contract" });
const digitsOf = (birth: { year: number; month: number; day: number }, serial = 4321) => fakeCpr(birth, serial).replace("-", "");

function decisionFor(cprDigits: string): BostotteDecision {
  return { kind: "afslag", cprDigits, legalBasis: "sel-85", reasonCategory: "andet", reasonText: "Kort begrundelse" };
}

function claimFor(tenantId: string, decision: BostotteDecision, fingerprint = "fp-1"): BostotteClaim {
  return { tenantId, decisionId: randomUUID().replace(/-/g, ""), fingerprint, cprDigits: decision.cprDigits };
}

function builder(tenantId: string, claim: BostotteClaim, decision: BostotteDecision) {
  return (links: CitizenLinks): { record: BostotteRecord; messages: Notification[] } => ({
    record: {
      tenantId,
      id: claim.decisionId,
      citizenId: links.citizenId,
      decision,
      source: "api",
      eventId: "evt",
      recordedBy: "app",
      decidedByName: "Navn",
      decidedAt: NOW.toISOString(),
      recordedAt: NOW.toISOString(),
      notified: links.followers.map((f) => f.aadObjectId),
    },
    messages: links.followers.map((f) =>
      notification(
        tenantId,
        `bostotte:${claim.decisionId}:${f.aadObjectId}`,
        { kind: "personal", aadObjectId: f.aadObjectId },
        { kind: "bostotte", decisionId: claim.decisionId, decision: "afslag", audience: "caseworker" },
        NOW,
      ),
    ),
  });
}

/** What every {@link CitizenRepository} must do, whatever stores it. Tenants are fresh per test. */
function citizenRepositoryContract(name: string, make: () => Promise<Subject>): void {
  describe(`CitizenRepository contract: ${name}`, () => {
    it("adds a follower once, and holds a citizen to the number of followers asked", async () => {
      const { citizens } = await make();
      const tenantId = randomUUID();
      const cpr = digitsOf({ year: 1980, month: 4, day: 2 });
      const first = await citizens.follow(
        tenantId,
        cpr,
        { aadObjectId: A, purpose: "andet", since: NOW.toISOString() },
        audit("follow"),
        1,
      );
      expect(first.kind).toBe("followed");
      expect(
        await citizens.follow(tenantId, cpr, { aadObjectId: A, purpose: "andet", since: NOW.toISOString() }, audit("follow"), 1),
      ).toEqual({
        kind: "already-following",
        citizenId: first.citizenId,
      });
      expect(
        (await citizens.follow(tenantId, cpr, { aadObjectId: B, purpose: "andet", since: NOW.toISOString() }, audit("follow", B), 1)).kind,
      ).toBe("too-many-followers");
      expect(await citizens.links(tenantId, first.citizenId)).toEqual({
        citizenId: first.citizenId,
        cprDigits: cpr,
        followers: [{ aadObjectId: A, purpose: "andet", since: NOW.toISOString() }],
        cases: [],
      });
      expect(await citizens.linksByCpr(tenantId, cpr)).toEqual(await citizens.links(tenantId, first.citizenId));
    });

    it("gives each citizen its own id and keeps tenants apart", async () => {
      const { citizens } = await make();
      const [t1, t2] = [randomUUID(), randomUUID()];
      const one = digitsOf({ year: 1980, month: 4, day: 2 }, 4321);
      const two = digitsOf({ year: 1980, month: 4, day: 2 }, 4322);
      const a = await citizens.follow(t1, one, { aadObjectId: A, purpose: "andet", since: NOW.toISOString() }, audit("follow"), 5);
      const b = await citizens.follow(t1, two, { aadObjectId: A, purpose: "andet", since: NOW.toISOString() }, audit("follow"), 5);
      expect(a.citizenId).not.toBe(b.citizenId);
      expect(await citizens.links(t2, a.citizenId)).toBeUndefined();
      expect(await citizens.followedBy(t2, A, 10)).toEqual([]);
      expect((await citizens.followedBy(t1, A, 10)).map((f) => f.cprDigits).sort()).toEqual([one, two].sort());
    });

    it("lists a caseworker's followings newest first, up to the limit, and forgets an ended one", async () => {
      const { citizens } = await make();
      const tenantId = randomUUID();
      const ids: string[] = [];
      for (const [i, day] of [3, 4, 5].entries()) {
        const since = new Date(NOW.getTime() + i * 1000).toISOString();
        ids.push(
          (
            await citizens.follow(
              tenantId,
              digitsOf({ year: 1975, month: 1, day }),
              { aadObjectId: A, purpose: "andet", since },
              audit("follow"),
              5,
            )
          ).citizenId,
        );
      }
      expect((await citizens.followedBy(tenantId, A, 2)).map((f) => f.citizenId)).toEqual([ids[2], ids[1]]);
      expect(await citizens.unfollow(tenantId, ids[2]!, A, audit("unfollow"))).toBe(true);
      expect(await citizens.unfollow(tenantId, ids[2]!, A, audit("unfollow"))).toBe(false);
      expect((await citizens.followedBy(tenantId, A, 10)).map((f) => f.citizenId)).toEqual([ids[1], ids[0]]);
    });

    it("hands a following over once, with its message, keeping the purpose", async () => {
      const { citizens, messagesOf } = await make();
      const tenantId = randomUUID();
      const cpr = digitsOf({ year: 1985, month: 6, day: 7 });
      const { citizenId } = await citizens.follow(
        tenantId,
        cpr,
        { aadObjectId: A, purpose: "beskaeftigelsessag", since: NOW.toISOString() },
        audit("follow"),
        5,
      );
      const message = () => [
        notification(
          tenantId,
          `hand-over:${citizenId}`,
          { kind: "personal", aadObjectId: B },
          { kind: "following-handed-over", citizenId, from: A },
          NOW,
        ),
      ];
      const later = new Date(NOW.getTime() + 5000).toISOString();
      expect(await citizens.handOverFollowing(tenantId, citizenId, A, B, later, audit("follow-hand-over"), message)).toBe("handed-over");
      expect(await citizens.handOverFollowing(tenantId, citizenId, A, B, later, audit("follow-hand-over"), message)).toBe("not-following");
      expect((await citizens.links(tenantId, citizenId))?.followers).toEqual([
        { aadObjectId: B, purpose: "beskaeftigelsessag", since: later },
      ]);
      expect(await messagesOf(tenantId, citizenId)).toEqual([`hand-over:${citizenId}`]);
      await citizens.follow(tenantId, cpr, { aadObjectId: A, purpose: "andet", since: later }, audit("follow"), 5);
      expect(await citizens.handOverFollowing(tenantId, citizenId, A, B, later, audit("follow-hand-over"), message)).toBe(
        "already-following",
      );
    });

    it("links cases idempotently, follows a change of caseworker, and indexes the birthday", async () => {
      const { citizens } = await make();
      const tenantId = randomUUID();
      const cpr = digitsOf({ year: 2000, month: 12, day: 24 });
      await citizens.linkCase(tenantId, cpr, 8, A);
      await citizens.linkCase(tenantId, cpr, 8, A);
      await citizens.linkCase(tenantId, cpr, 9, A);
      await citizens.changeCaseworker(tenantId, cpr, 8, B);
      const [born, ...none] = await citizens.birthdaysOn(tenantId, "1224");
      expect(none).toEqual([]);
      expect(born?.cprDigits).toBe(cpr);
      const links = await citizens.links(tenantId, born!.citizenId);
      expect(links?.cases.slice().sort((x, y) => x.caseNo - y.caseNo)).toEqual([
        { caseNo: 8, raisedBy: B },
        { caseNo: 9, raisedBy: A },
      ]);
      expect(await citizens.birthdaysOn(tenantId, "1225")).toEqual([]);
    });

    it("stores a decision once: the same claim again is a duplicate, another fingerprint a conflict", async () => {
      const { citizens, messagesOf } = await make();
      const tenantId = randomUUID();
      const cpr = digitsOf({ year: 1990, month: 3, day: 3 });
      await citizens.follow(
        tenantId,
        cpr,
        { aadObjectId: A, purpose: "bostotte-orientering", since: NOW.toISOString() },
        audit("follow"),
        5,
      );
      const decision = decisionFor(cpr);
      const claim = claimFor(tenantId, decision);
      const first = await citizens.recordBostotte(claim, builder(tenantId, claim, decision), audit("bostotte-record"));
      expect(first).toMatchObject({ kind: "recorded", record: { id: claim.decisionId, notified: [A], decision } });
      const again = await citizens.recordBostotte(claim, builder(tenantId, claim, decision), audit("bostotte-record"));
      expect(again).toEqual({ kind: "duplicate", record: (first as { record: BostotteRecord }).record });
      expect(
        await citizens.recordBostotte({ ...claim, fingerprint: "fp-2" }, builder(tenantId, claim, decision), audit("bostotte-record")),
      ).toEqual({
        kind: "conflict",
      });
      const citizenId = (first as { record: BostotteRecord }).record.citizenId;
      expect(await messagesOf(tenantId, citizenId)).toEqual([`bostotte:${claim.decisionId}:${A}`]);
      expect(await citizens.bostotte(tenantId, claim.decisionId)).toMatchObject({
        record: { id: claim.decisionId, decision },
        links: { citizenId, followers: [{ aadObjectId: A }] },
      });
      expect(await citizens.bostotte(tenantId, "0".repeat(32))).toBeUndefined();
    });

    it("commits a job's messages once", async () => {
      const { citizens, messagesOf } = await make();
      const tenantId = randomUUID();
      const cpr = digitsOf({ year: 1996, month: 9, day: 9 });
      const { citizenId } = await citizens.follow(
        tenantId,
        cpr,
        { aadObjectId: A, purpose: "andet", since: NOW.toISOString() },
        audit("follow"),
        5,
      );
      const message = notification(tenantId, `job:${citizenId}`, { kind: "personal", aadObjectId: A }, { kind: "text", text: "x" }, NOW);
      expect(await citizens.notifyOnce(tenantId, citizenId, [message])).toBe(true);
      expect(await citizens.notifyOnce(tenantId, citizenId, [message])).toBe(false);
      expect(await messagesOf(tenantId, citizenId)).toEqual([`job:${citizenId}`]);
    });
  });
}

citizenRepositoryContract("in memory", async () => {
  const outbox = new InMemoryOutbox();
  return {
    citizens: new InMemoryCitizenRepository(outbox),
    messagesOf: async (tenantId, citizenId) => outbox.messagesOf(citizenSource(tenantId, citizenId)).map((m) => m.dedupeKey),
  };
});

citizenRepositoryContract("Table Storage (Azurite)", async () => {
  const tables = await azuriteTables();
  return {
    citizens: new TableCitizenRepository(
      tables.cases,
      tables.caseIndex,
      new FieldCipher(Buffer.alloc(32, 5)),
      new TableOutbox(tables.cases, tables.outbox),
    ),
    messagesOf: async (tenantId, citizenId) =>
      (await messageRows(tables.cases, keys.citizenPartition(tenantId, citizenId))).map((m) => m.dedupeKey),
  };
});
