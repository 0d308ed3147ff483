import { describe, expect, it } from "vitest";
import { bostotteMessages, bostotteRecipients } from "../../src/domain/bostotte-recipients.js";
import type { CaseLink, Follower } from "../../src/domain/citizen.js";
import { municipalitySchema } from "../../src/domain/municipality.js";
import { CASEWORKER, COORDINATOR, SOCIAL_CASEWORKER, testMunicipality } from "../support/fixtures.js";

const OTHER_CASEWORKER = "aaaaaaaa-1111-4000-8000-000000000011";
const THIRD_CASEWORKER = "aaaaaaaa-1111-4000-8000-000000000012";
const base = testMunicipality("t-recipients");
const municipality = municipalitySchema.parse({
  ...base,
  roles: { ...base.roles, caseworkers: [CASEWORKER.aadObjectId, OTHER_CASEWORKER, THIRD_CASEWORKER] },
});

const follower = (aadObjectId: string): Follower => ({ aadObjectId, purpose: "bostotte-orientering", since: "2026-11-01T08:00:00.000Z" });
const caseOf = (caseNo: number, raisedBy: string): CaseLink => ({ caseNo, raisedBy });
const NOW = new Date("2026-11-23T10:00:00Z");

describe("who is told of a bostøtte decision", () => {
  it("tells the citizen's followers", () => {
    expect(
      bostotteRecipients(municipality, { followers: [follower(OTHER_CASEWORKER), follower(CASEWORKER.aadObjectId)], cases: [] }, 40),
    ).toEqual({
      kind: "caseworkers",
      aadObjectIds: [CASEWORKER.aadObjectId, OTHER_CASEWORKER].sort(),
    });
  });

  it("tells the raising caseworker of every case about the citizen", () => {
    expect(
      bostotteRecipients(municipality, { followers: [], cases: [caseOf(3, THIRD_CASEWORKER), caseOf(9, OTHER_CASEWORKER)] }, 40),
    ).toEqual({
      kind: "caseworkers",
      aadObjectIds: [OTHER_CASEWORKER, THIRD_CASEWORKER].sort(),
    });
  });

  it("tells followers and case owners alike, each once", () => {
    const recipients = bostotteRecipients(
      municipality,
      {
        followers: [follower(CASEWORKER.aadObjectId), follower(OTHER_CASEWORKER)],
        cases: [caseOf(1, CASEWORKER.aadObjectId), caseOf(2, CASEWORKER.aadObjectId), caseOf(3, THIRD_CASEWORKER)],
      },
      40,
    );
    expect(recipients).toEqual({ kind: "caseworkers", aadObjectIds: [CASEWORKER.aadObjectId, OTHER_CASEWORKER, THIRD_CASEWORKER].sort() });
  });

  it("leaves out people who no longer hold the employment caseworker role", () => {
    const recipients = bostotteRecipients(
      municipality,
      { followers: [follower(SOCIAL_CASEWORKER.aadObjectId)], cases: [caseOf(1, OTHER_CASEWORKER)] },
      40,
    );
    expect(recipients).toEqual({ kind: "caseworkers", aadObjectIds: [OTHER_CASEWORKER] });
  });

  it("with nobody linked, falls back to the channel of the forum the citizen's age belongs to", () => {
    expect(bostotteRecipients(municipality, { followers: [], cases: [] }, 29)).toEqual({ kind: "forum", forumId: "unge" });
    expect(bostotteRecipients(municipality, { followers: [], cases: [] }, 30)).toEqual({ kind: "forum", forumId: "voksne" });
  });

  it("falls back to the forum also when every linked person has left the role", () => {
    expect(bostotteRecipients(municipality, { followers: [follower(COORDINATOR.aadObjectId)], cases: [] }, 45)).toEqual({
      kind: "forum",
      forumId: "voksne",
    });
  });
});

describe("the messages of a bostøtte decision", () => {
  it("gives each caseworker one personal message keyed to the decision", () => {
    const messages = bostotteMessages("t", "d1", "bevilling", { kind: "caseworkers", aadObjectIds: ["a", "b"] }, NOW);
    expect(messages.map((m) => [m.target, m.content, m.dedupeKey])).toEqual([
      [
        { kind: "personal", aadObjectId: "a" },
        { kind: "bostotte", decisionId: "d1", decision: "bevilling", audience: "caseworker" },
        "bostotte:d1:caseworker:a",
      ],
      [
        { kind: "personal", aadObjectId: "b" },
        { kind: "bostotte", decisionId: "d1", decision: "bevilling", audience: "caseworker" },
        "bostotte:d1:caseworker:b",
      ],
    ]);
    expect(new Set(messages.map((m) => m.id)).size).toBe(2);
  });

  it("posts the fallback to the forum channel as a card that carries no CPR number or text", () => {
    const [message, ...rest] = bostotteMessages("t", "d2", "afslag", { kind: "forum", forumId: "unge" }, NOW);
    expect(rest).toEqual([]);
    expect(message!.target).toEqual({ kind: "forum-channel", forumId: "unge" });
    expect(message!.content).toEqual({ kind: "bostotte", decisionId: "d2", decision: "afslag", audience: "forum" });
  });

  it("gives the same decision the same message ids, so a repeat can never send twice", () => {
    const once = bostotteMessages("t", "d3", "ophoer", { kind: "caseworkers", aadObjectIds: ["a"] }, NOW);
    const again = bostotteMessages("t", "d3", "ophoer", { kind: "caseworkers", aadObjectIds: ["a"] }, new Date(NOW.getTime() + 60_000));
    expect(again.map((m) => m.id)).toEqual(once.map((m) => m.id));
  });
});
