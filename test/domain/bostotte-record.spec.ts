import { describe, expect, it } from "vitest";
import { validateBostotteDraft, emptyBostotteDraft, type BostotteDecision } from "../../src/domain/bostotte.js";
import { follow } from "../../src/domain/following.js";
import { bostotteDecision, recordBostotteDecision } from "../../src/domain/record-bostotte.js";
import { DEFAULT_TIME_ZONE } from "../../src/domain/time.js";
import { InMemoryOutbox, ManualClock } from "../support/in-memory/index.js";
import { citizenSource, InMemoryCitizenRepository } from "../support/in-memory/citizen-repository.js";
import {
  CASEWORKER,
  COORDINATOR,
  fakeCprForAge,
  OUTSIDER,
  SOCIAL_CASEWORKER,
  testMunicipality,
  YOUTH_COORDINATOR,
} from "../support/fixtures.js";

const NOW = new Date("2026-11-23T10:00:00Z");
const TODAY = { year: 2026, month: 11, day: 23 };
const municipality = testMunicipality("t-record");
const tenantId = municipality.tenantId;
const SOCIAL = { id: SOCIAL_CASEWORKER.aadObjectId, name: SOCIAL_CASEWORKER.name };

function setup() {
  const outbox = new InMemoryOutbox();
  const citizens = new InMemoryCitizenRepository(outbox);
  const deps = { citizens, clock: new ManualClock(NOW), timeZone: DEFAULT_TIME_ZONE };
  return { outbox, citizens, deps };
}

function grantFor(cpr: string, hours = "5"): BostotteDecision {
  const result = validateBostotteDraft(
    emptyBostotteDraft({
      kind: "bevilling",
      cpr,
      legalBasis: "sel-85",
      hours,
      hoursPer: "week",
      from: "2026-12-01",
      review: "2027-03-01",
      purpose: "Bolig",
    }),
    municipality,
    TODAY,
  );
  if (!result.ok) throw new Error(`fixture must be valid: ${JSON.stringify(result.errors)}`);
  return result.value;
}

describe("recording a bostøtte decision", () => {
  it("tells every linked employment caseworker once, committed with the decision", async () => {
    const { deps, outbox, citizens } = setup();
    const cpr = fakeCprForAge(40, NOW);
    await follow(deps, { municipality, cpr, purpose: "bostotte-orientering", user: CASEWORKER.aadObjectId });
    await citizens.linkCase(tenantId, cpr.replace("-", ""), 7, CASEWORKER.aadObjectId);

    const outcome = await recordBostotteDecision(deps, {
      municipality,
      decision: grantFor(cpr),
      by: SOCIAL,
      source: "bot",
      eventId: "form-1",
    });
    expect(outcome.kind).toBe("recorded");
    if (outcome.kind !== "recorded") return;
    expect(outcome.record).toMatchObject({
      notified: [CASEWORKER.aadObjectId],
      recordedBy: SOCIAL.id,
      decidedAt: NOW.toISOString(),
      source: "bot",
    });
    expect(outcome.record.fallbackForumId).toBeUndefined();
    const messages = outbox.messagesOf(citizenSource(tenantId, outcome.record.citizenId));
    expect(messages.map((m) => [m.target, m.content])).toEqual([
      [
        { kind: "personal", aadObjectId: CASEWORKER.aadObjectId },
        { kind: "bostotte", decisionId: outcome.record.id, decision: "bevilling", audience: "caseworker" },
      ],
    ]);
    expect(citizens.auditOf(tenantId, outcome.record.citizenId).map((a) => a.action)).toEqual(["follow", "bostotte-record"]);
  });

  it("posts to the forum of the citizen's age when nobody is linked", async () => {
    const { deps, outbox } = setup();
    const outcome = await recordBostotteDecision(deps, {
      municipality,
      decision: grantFor(fakeCprForAge(22, NOW)),
      by: SOCIAL,
      source: "bot",
      eventId: "form-2",
    });
    if (outcome.kind !== "recorded") throw new Error(outcome.kind);
    expect(outcome.record).toMatchObject({ notified: [], fallbackForumId: "unge" });
    expect(outbox.messages(tenantId).map((m) => m.target)).toEqual([{ kind: "forum-channel", forumId: "unge" }]);
  });

  it("records the same event once: a repeat is a duplicate and sends nothing more", async () => {
    const { deps, outbox } = setup();
    const decision = grantFor(fakeCprForAge(40, NOW));
    const first = await recordBostotteDecision(deps, {
      municipality,
      decision,
      by: { id: "app-1", name: "Sagssystem" },
      source: "api",
      eventId: "evt-1",
      decidedAt: "2026-11-20T09:00:00.000Z",
    });
    deps.clock.advance(60_000);
    const again = await recordBostotteDecision(deps, {
      municipality,
      decision,
      by: { id: "app-1", name: "Sagssystem" },
      source: "api",
      eventId: "evt-1",
      decidedAt: "2026-11-20T09:00:00.000Z",
    });
    expect(first.kind).toBe("recorded");
    expect(again.kind).toBe("duplicate");
    if (first.kind !== "recorded" || again.kind !== "duplicate") return;
    expect(again.record).toEqual(first.record);
    expect(outbox.messages(tenantId)).toHaveLength(1);
  });

  it("refuses the same event id with other content as a conflict, and changes nothing", async () => {
    const { deps, outbox } = setup();
    const cpr = fakeCprForAge(40, NOW);
    await recordBostotteDecision(deps, {
      municipality,
      decision: grantFor(cpr, "5"),
      by: { id: "app", name: "" },
      source: "api",
      eventId: "evt-2",
    });
    const other = await recordBostotteDecision(deps, {
      municipality,
      decision: grantFor(cpr, "6"),
      by: { id: "app", name: "" },
      source: "api",
      eventId: "evt-2",
    });
    expect(other).toMatchObject({ kind: "conflict" });
    expect(outbox.messages(tenantId)).toHaveLength(1);
  });

  it("keeps the bot's and the API's event ids apart", async () => {
    const { deps } = setup();
    const cpr = fakeCprForAge(40, NOW);
    await recordBostotteDecision(deps, {
      municipality,
      decision: grantFor(cpr, "5"),
      by: { id: "app", name: "" },
      source: "api",
      eventId: "same",
    });
    const bot = await recordBostotteDecision(deps, {
      municipality,
      decision: grantFor(cpr, "6"),
      by: SOCIAL,
      source: "bot",
      eventId: "same",
    });
    expect(bot.kind).toBe("recorded");
  });

  it("lets only social caseworkers record through the bot", async () => {
    const { deps, outbox } = setup();
    const outcome = await recordBostotteDecision(deps, {
      municipality,
      decision: grantFor(fakeCprForAge(40, NOW)),
      by: { id: CASEWORKER.aadObjectId, name: CASEWORKER.name },
      source: "bot",
      eventId: "form-3",
    });
    expect(outcome).toEqual({ kind: "not-allowed" });
    expect(outbox.messages()).toHaveLength(0);
  });

  it("checks a decision built elsewhere by the form's rules, and the event id", async () => {
    const { deps } = setup();
    const decision = grantFor(fakeCprForAge(40, NOW));
    if (decision.kind !== "bevilling") throw new Error("grant");
    const absurd: BostotteDecision = { ...decision, frame: { ...decision.frame, hours: 500 } };
    expect(await recordBostotteDecision(deps, { municipality, decision: absurd, by: SOCIAL, source: "bot", eventId: "form-4" })).toEqual({
      kind: "invalid",
      errors: { hours: "hours.too-many" },
    });
    expect(await recordBostotteDecision(deps, { municipality, decision, by: SOCIAL, source: "bot", eventId: "a/b" })).toEqual({
      kind: "invalid-event-id",
    });
  });
});

describe("Vis detaljer on a bostøtte decision", () => {
  it("shows it to a linked employment caseworker and the recording social caseworker, audited", async () => {
    const { deps, citizens } = setup();
    const cpr = fakeCprForAge(40, NOW);
    await citizens.linkCase(tenantId, cpr.replace("-", ""), 3, CASEWORKER.aadObjectId);
    const recorded = await recordBostotteDecision(deps, {
      municipality,
      decision: grantFor(cpr),
      by: SOCIAL,
      source: "bot",
      eventId: "form-5",
    });
    if (recorded.kind !== "recorded") throw new Error(recorded.kind);
    const id = recorded.record.id;
    expect(await bostotteDecision(deps, { municipality, id, user: CASEWORKER.aadObjectId })).toMatchObject({
      kind: "shown",
      record: { id },
    });
    expect(await bostotteDecision(deps, { municipality, id, user: SOCIAL.id })).toMatchObject({ kind: "shown" });
    expect(await bostotteDecision(deps, { municipality, id, user: OUTSIDER.aadObjectId })).toEqual({ kind: "refused" });
    // The forum was not told, so its coordinators have no reason to see it.
    expect(await bostotteDecision(deps, { municipality, id, user: COORDINATOR.aadObjectId })).toEqual({ kind: "refused" });
    const audit = citizens.auditOf(tenantId, recorded.record.citizenId).map((a) => [a.action, a.user]);
    expect(audit.slice(-4)).toEqual([
      ["bostotte-view", CASEWORKER.aadObjectId],
      ["bostotte-view", SOCIAL.id],
      ["bostotte-view-refused", OUTSIDER.aadObjectId],
      ["bostotte-view-refused", COORDINATOR.aadObjectId],
    ]);
  });

  it("shows a fallback decision to that forum's coordinators only", async () => {
    const { deps } = setup();
    const recorded = await recordBostotteDecision(deps, {
      municipality,
      decision: grantFor(fakeCprForAge(40, NOW)),
      by: { id: "app", name: "" },
      source: "api",
      eventId: "evt-9",
    });
    if (recorded.kind !== "recorded") throw new Error(recorded.kind);
    expect(recorded.record.fallbackForumId).toBe("voksne");
    const id = recorded.record.id;
    expect((await bostotteDecision(deps, { municipality, id, user: COORDINATOR.aadObjectId })).kind).toBe("shown");
    // A coordinator of the youth forum only.
    expect((await bostotteDecision(deps, { municipality, id, user: YOUTH_COORDINATOR.aadObjectId })).kind).toBe("refused");
    // The calling application is no user.
    expect((await bostotteDecision(deps, { municipality, id, user: "app" })).kind).toBe("refused");
  });

  it("says so for an unknown decision", async () => {
    const { deps } = setup();
    expect(await bostotteDecision(deps, { municipality, id: "0".repeat(32), user: CASEWORKER.aadObjectId })).toEqual({
      kind: "unknown-decision",
    });
  });
});
