import { describe, expect, it } from "vitest";
import { follow, followedBy, handOverFollowing, MAX_FOLLOWERS, unfollow } from "../../src/domain/following.js";
import { maskCpr } from "../../src/domain/cpr.js";
import { municipalitySchema } from "../../src/domain/municipality.js";
import { DEFAULT_TIME_ZONE } from "../../src/domain/time.js";
import { InMemoryOutbox, ManualClock } from "../support/in-memory/index.js";
import { citizenSource, InMemoryCitizenRepository } from "../support/in-memory/citizen-repository.js";
import { ADMINISTRATOR, CASEWORKER, fakeCprForAge, SOCIAL_CASEWORKER, testMunicipality } from "../support/fixtures.js";

const NOW = new Date("2026-11-23T10:00:00Z");
const COLLEAGUE = "aaaaaaaa-1111-4000-8000-000000000021";
const base = testMunicipality("t-following");
const municipality = municipalitySchema.parse({ ...base, roles: { ...base.roles, caseworkers: [CASEWORKER.aadObjectId, COLLEAGUE] } });
const tenantId = municipality.tenantId;
const me = CASEWORKER.aadObjectId;

function setup() {
  const outbox = new InMemoryOutbox();
  const citizens = new InMemoryCitizenRepository(outbox);
  return { outbox, citizens, deps: { citizens, clock: new ManualClock(NOW), timeZone: DEFAULT_TIME_ZONE } };
}

describe("following a citizen", () => {
  it("lets an employment caseworker follow a citizen, audited with who, when and why", async () => {
    const { deps, citizens } = setup();
    const cpr = fakeCprForAge(35, NOW);
    const outcome = await follow(deps, { municipality, cpr, purpose: "bostotte-orientering", user: me });
    expect(outcome).toMatchObject({ kind: "followed", cprDigits: cpr.replace("-", "") });
    if (outcome.kind !== "followed") return;
    expect(citizens.auditOf(tenantId, outcome.citizenId)).toEqual([
      { at: NOW.toISOString(), user: me, action: "follow", purpose: "bostotte-orientering" },
    ]);
    expect((await citizens.links(tenantId, outcome.citizenId))?.followers).toEqual([
      { aadObjectId: me, purpose: "bostotte-orientering", since: NOW.toISOString() },
    ]);
  });

  it("says so when the caseworker follows already, and writes nothing more", async () => {
    const { deps, citizens } = setup();
    const cpr = fakeCprForAge(35, NOW);
    const first = await follow(deps, { municipality, cpr, purpose: "andet", user: me });
    const again = await follow(deps, { municipality, cpr, purpose: "andet", user: me });
    expect(again).toEqual({
      kind: "already-following",
      citizenId: (first as { citizenId: string }).citizenId,
      cprDigits: cpr.replace("-", ""),
    });
    expect(citizens.auditOf(tenantId, again.kind === "already-following" ? again.citizenId : "")).toHaveLength(1);
  });

  it("checks the CPR number as the raise-case form does, and the purpose against the fixed list", async () => {
    const { deps } = setup();
    expect(await follow(deps, { municipality, cpr: "", purpose: "", user: me })).toEqual({
      kind: "invalid",
      errors: { cpr: "required", purpose: "required" },
    });
    expect(await follow(deps, { municipality, cpr: "1234", purpose: "nysgerrighed", user: me })).toEqual({
      kind: "invalid",
      errors: { cpr: "cpr.format", purpose: "purpose.unknown" },
    });
    expect(await follow(deps, { municipality, cpr: fakeCprForAge(10, NOW), purpose: "andet", user: me })).toEqual({
      kind: "invalid",
      errors: { cpr: "cpr.too-young" },
    });
  });

  it("refuses anyone but employment caseworkers, and audits the attempt beside the citizen", async () => {
    const { deps, citizens } = setup();
    const cpr = fakeCprForAge(35, NOW);
    expect(await follow(deps, { municipality, cpr, purpose: "andet", user: SOCIAL_CASEWORKER.aadObjectId })).toEqual({
      kind: "not-allowed",
    });
    const citizenId = citizens.citizenIdOf(cpr);
    expect(citizens.auditOf(tenantId, citizenId).map((a) => [a.action, a.user])).toEqual([
      ["follow-refused", SOCIAL_CASEWORKER.aadObjectId],
    ]);
    expect(await citizens.links(tenantId, citizenId)).toBeUndefined();
  });

  it("holds a citizen to a bounded number of followers, so a decision's messages fit one transaction", async () => {
    const { deps } = setup();
    const many = Array.from({ length: MAX_FOLLOWERS + 1 }, (_, i) => `aaaaaaaa-2222-4000-8000-${String(i).padStart(12, "0")}`);
    const crowded = municipalitySchema.parse({ ...municipality, roles: { ...municipality.roles, caseworkers: many } });
    const cpr = fakeCprForAge(50, NOW);
    for (const user of many.slice(0, MAX_FOLLOWERS))
      expect((await follow(deps, { municipality: crowded, cpr, purpose: "andet", user })).kind).toBe("followed");
    expect(await follow(deps, { municipality: crowded, cpr, purpose: "andet", user: many[MAX_FOLLOWERS]! })).toEqual({
      kind: "too-many-followers",
    });
  });
});

describe("listing and ending followings", () => {
  it("lists the caseworker's citizens newest first, ready for masking", async () => {
    const { deps } = setup();
    const older = fakeCprForAge(35, NOW);
    const newer = fakeCprForAge(45, NOW);
    await follow(deps, { municipality, cpr: older, purpose: "andet", user: me });
    deps.clock.advance(60_000);
    await follow(deps, { municipality, cpr: newer, purpose: "beskaeftigelsessag", user: me });
    await follow(deps, { municipality, cpr: older, purpose: "andet", user: COLLEAGUE });
    const { citizens } = await followedBy(deps, { municipality, user: me });
    expect(citizens.map((c) => [maskCpr(c.cprDigits), c.purpose])).toEqual([
      [maskCpr(newer.replace("-", "")), "beskaeftigelsessag"],
      [maskCpr(older.replace("-", "")), "andet"],
    ]);
  });

  it("ends a following with a reason, audited, and says so when there was none", async () => {
    const { deps, citizens } = setup();
    const followed = await follow(deps, { municipality, cpr: fakeCprForAge(35, NOW), purpose: "andet", user: me });
    if (followed.kind !== "followed") throw new Error(followed.kind);
    expect(await unfollow(deps, { municipality, citizenId: followed.citizenId, reason: "", user: me })).toEqual({
      kind: "invalid",
      errors: { reason: "required" },
    });
    expect(await unfollow(deps, { municipality, citizenId: followed.citizenId, reason: "sagen-afsluttet", user: me })).toEqual({
      kind: "unfollowed",
    });
    expect(await unfollow(deps, { municipality, citizenId: followed.citizenId, reason: "sagen-afsluttet", user: me })).toEqual({
      kind: "not-following",
    });
    expect(citizens.auditOf(tenantId, followed.citizenId).map((a) => [a.action, a.purpose])).toEqual([
      ["follow", "andet"],
      ["unfollow", "sagen-afsluttet"],
    ]);
    expect((await followedBy(deps, { municipality, user: me })).citizens).toEqual([]);
  });
});

describe("someone without an Entra object id", () => {
  it("follows nobody: lists nothing, ends and hands over nothing, and never reaches storage with an empty id", async () => {
    const { deps } = setup();
    const followed = await follow(deps, { municipality, cpr: fakeCprForAge(36, NOW), purpose: "andet", user: me });
    if (followed.kind !== "followed") throw new Error(followed.kind);
    const citizenId = followed.citizenId;
    expect(await followedBy(deps, { municipality, user: "" })).toEqual({ kind: "list", citizens: [] });
    expect(await unfollow(deps, { municipality, citizenId, reason: "andet", user: "" })).toEqual({ kind: "not-following" });
    expect(await handOverFollowing(deps, { municipality, citizenId, from: "", to: COLLEAGUE })).toEqual({ kind: "not-following" });
    expect((await followedBy(deps, { municipality, user: me })).citizens.map((c) => c.citizenId)).toEqual([citizenId]);
  });
});

describe("handing a following over (sagsbehandlerskift)", () => {
  it("moves the following to another employment caseworker, who is told once", async () => {
    const { deps, citizens, outbox } = setup();
    const followed = await follow(deps, { municipality, cpr: fakeCprForAge(35, NOW), purpose: "bostotte-orientering", user: me });
    if (followed.kind !== "followed") throw new Error(followed.kind);
    const { citizenId } = followed;
    expect(await handOverFollowing(deps, { municipality, citizenId, from: me, to: COLLEAGUE })).toEqual({ kind: "handed-over" });
    expect((await citizens.links(tenantId, citizenId))?.followers).toEqual([
      { aadObjectId: COLLEAGUE, purpose: "bostotte-orientering", since: NOW.toISOString() },
    ]);
    expect(outbox.messagesOf(citizenSource(tenantId, citizenId)).map((m) => [m.target, m.content])).toEqual([
      [
        { kind: "personal", aadObjectId: COLLEAGUE },
        { kind: "following-handed-over", citizenId, from: me },
      ],
    ]);
    expect(await handOverFollowing(deps, { municipality, citizenId, from: me, to: COLLEAGUE })).toEqual({ kind: "not-following" });
    expect(outbox.messages(tenantId)).toHaveLength(1);
    expect(citizens.auditOf(tenantId, citizenId).map((a) => a.action)).toEqual(["follow", "follow-hand-over"]);
  });

  it("only to an employment caseworker who does not follow already, and only by the follower or an administrator", async () => {
    const { deps } = setup();
    const cpr = fakeCprForAge(35, NOW);
    const followed = await follow(deps, { municipality, cpr, purpose: "andet", user: me });
    if (followed.kind !== "followed") throw new Error(followed.kind);
    const { citizenId } = followed;
    expect(await handOverFollowing(deps, { municipality, citizenId, from: me, to: SOCIAL_CASEWORKER.aadObjectId })).toEqual({
      kind: "not-caseworker",
    });
    expect(await handOverFollowing(deps, { municipality, citizenId, from: COLLEAGUE, to: COLLEAGUE, follower: me })).toEqual({
      kind: "not-allowed",
    });
    await follow(deps, { municipality, cpr, purpose: "andet", user: COLLEAGUE });
    expect(await handOverFollowing(deps, { municipality, citizenId, from: me, to: COLLEAGUE })).toEqual({ kind: "already-following" });
    await unfollow(deps, { municipality, citizenId, reason: "andet", user: COLLEAGUE });
    expect(
      await handOverFollowing(deps, { municipality, citizenId, from: ADMINISTRATOR.aadObjectId, follower: me, to: COLLEAGUE }),
    ).toEqual({ kind: "handed-over" });
  });
});
