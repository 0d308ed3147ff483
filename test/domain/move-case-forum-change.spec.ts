import { describe, expect, it } from "vitest";
import { moveCase } from "../../src/domain/move-case.js";
import { fakeCpr, testMunicipality } from "../support/fixtures.js";
import { inMemoryPorts, MONDAY_MORNING } from "../support/in-memory/index.js";
import { raised } from "../support/scenarios.js";

describe("a case that moves to another forum because the citizen changed target group", () => {
  it("is posted anew in the new forum's channel, and its old card says where it went", async () => {
    const ports = inMemoryPorts({ now: MONDAY_MORNING });
    const municipality = testMunicipality();
    // Turns 30 on 5 December 2026: 29 at the youth meeting of 1 December, 30 at the adult meeting of 9 December.
    const cpr = fakeCpr({ year: 1996, month: 12, day: 5 });
    const { record } = await raised(ports, municipality, { cpr });
    expect([record.forumId, record.meetingKey]).toEqual(["unge", "unge:2026-12-01"]);
    await ports.cases.rememberChannelCard(municipality.tenantId, record.caseNo, "youth-card-1");

    const outcome = await moveCase(ports, {
      municipality,
      caseNo: record.caseNo,
      expectedVersion: record.version,
      target: { kind: "next" },
      by: "sparring",
      reason: "rolled-over",
    });
    expect(outcome).toMatchObject({
      kind: "moved",
      record: { forumId: "voksne", meetingKey: "voksne:2026-12-09", age: 30, channelActivityId: "" },
    });

    const messages = ports.outbox.messages().filter((m) => m.dedupeKey.includes(`:v${record.version + 1}`));
    expect(messages.map((m) => [m.target, m.content])).toEqual(
      expect.arrayContaining([
        [
          { kind: "forum-channel", forumId: "voksne" },
          { kind: "case-card", caseNo: record.caseNo, mode: "post" },
        ],
        [
          { kind: "forum-channel", forumId: "unge" },
          { kind: "case-card-moved-away", caseNo: record.caseNo, activityId: "youth-card-1", toForumId: "voksne" },
        ],
      ]),
    );
  });
});
