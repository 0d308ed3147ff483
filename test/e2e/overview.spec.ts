import { randomUUID } from "node:crypto";
import { TeamsAdapter } from "@microsoft/teams-ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideCase } from "../../src/domain/decide-case.js";
import { DECISIONS } from "../../src/domain/case-lifecycle.js";
import { settledBefore, type OverviewEvent, type PlanStep } from "../../src/domain/overview-events.js";
import { raiseCase } from "../../src/domain/raise-case.js";
import { DEMO_TENANT_ID, DEMO_USERS } from "../../src/dev/demo-tenant.js";
import { createLogger } from "../../src/logger.js";
import { wireSparring } from "../../src/sparring.js";
import { openTables } from "../../src/storage/table-storage.js";
import { fakeCprForAge, validDraft } from "../support/fixtures.js";
import { say, screenshot, startStack } from "./playground-harness.js";

type Stack = Awaited<ReturnType<typeof startStack>>;
let stack: Stack;

beforeAll(async () => {
  stack = await startStack("manager");
  await seedActivity(stack);
});

const DAY = 86_400_000;

/**
 * A few weeks of a municipality's activity before Birgitte asks, all fictitious: five weeks
 * of cases, decisions, moves, bostøtte decisions and joint-plan steps written through the
 * overview log (as the use cases write them), and this week's cases raised through the real
 * use case (booked into the coming meetings, so the agenda chart has bookings), two of them
 * decided by Hanne.
 */
async function seedActivity(s: Stack): Promise<void> {
  const { deps } = wireSparring({
    tables: await openTables(s.storageConnectionString),
    adapter: new TeamsAdapter({}),
    encryptionKey: s.config.encryptionKey,
    cprLookupKey: s.config.cprLookupKey,
    timeZone: s.config.timeZone,
    municipalities: s.config.municipalities,
    logger: createLogger("warn"),
    clock: { now: () => new Date() },
  });
  const municipality = s.config.municipalities.get(DEMO_TENANT_ID)!;
  const now = Date.now();
  const events: OverviewEvent[] = [];
  let caseNo = 9_000;
  for (let week = 5; week >= 1; week--) {
    // 10–14 cases a week, raised on weekdays in office hours, decided about a week later.
    const cases = 10 + ((week * 3) % 5);
    for (let i = 0; i < cases; i++) {
      caseNo++;
      const raisedAt = new Date(now - week * 7 * DAY + (i % 5) * DAY + (8 + (i % 7)) * 3_600_000).toISOString();
      const forumId = i % 3 === 0 ? "unge" : "voksne";
      const ageGroup = forumId === "unge" ? (i % 2 ? "15-17" : "18-29") : "30+";
      events.push({ kind: "raised", id: `case:${caseNo}:raised`, at: raisedAt, caseNo, forumId, ageGroup, acute: i % 9 === 4 });
      if (i % 6 === 5) {
        const movedAt = new Date(Date.parse(raisedAt) + 6 * DAY).toISOString();
        events.push({ kind: "moved", id: `case:${caseNo}:v2:moved`, at: movedAt, caseNo, forumId, ageGroup, reason: "rolled-over" });
      }
      const decision = DECISIONS[[0, 1, 0, 1, 0, 2, 0, 1, 3, 2, 0, 1, 0, 1][i]!]!;
      const decidedAt = new Date(Date.parse(raisedAt) + (6 + (i % 4)) * DAY).toISOString();
      if (decidedAt < new Date(now).toISOString()) {
        events.push({ kind: "decided", id: `case:${caseNo}:v3:decided`, at: decidedAt, caseNo, forumId, ageGroup, decision, raisedAt });
      }
    }
    const inWeek = (day: number, hour: number) => new Date(now - week * 7 * DAY + day * DAY + hour * 3_600_000).toISOString();
    const steps: PlanStep[] = [
      "agreed",
      "agreed",
      "agreed",
      "active",
      "active",
      "follow-up-on-time",
      "follow-up-on-time",
      "follow-up-on-time",
    ];
    if (week % 2) steps.push("follow-up-late", "follow-up-overdue", "ended");
    steps.forEach((step, i) =>
      events.push({
        kind: "plan",
        id: `plan:${8_000 + week * 20 + i}:${step}`,
        at: inWeek(i % 5, 11),
        caseNo: 8_000 + week * 20 + i,
        forumId: i % 3 ? "voksne" : "unge",
        step,
      }),
    );
    for (let i = 0; i < 2; i++) {
      events.push({
        kind: "bostotte",
        id: `bostotte:demo-${week}-${i}`,
        at: inWeek(1 + i, 13),
        ageGroup: i ? "30+" : "18-29",
        decision: (["bevilling", "afslag", "ophoer"] as const)[(week + i) % 3]!,
        reached: i ? "caseworker" : "forum",
      });
    }
  }
  // Written after the fact: as late events, so summaries the bot made of these days already are made again.
  await deps.overview.record(municipality.tenantId, events, { settledBefore: settledBefore(new Date()) });

  // This week: real cases from Mette, booked into the forums' coming meetings.
  const raised = [];
  for (const age of [34, 41, 52, 63, 17, 22, 27]) {
    const outcome = await raiseCase(deps, {
      municipality,
      submissionId: randomUUID(),
      user: DEMO_USERS.caseworker,
      draft: validDraft({ cpr: fakeCprForAge(age) }),
    });
    if (outcome.kind !== "raised") throw new Error(`seeding a case failed: ${outcome.kind}`);
    raised.push(outcome.record);
  }
  for (const [record, decision] of [
    [raised[0]!, "start"],
    [raised[4]!, "no-basis"],
  ] as const) {
    const decided = await decideCase(deps, {
      municipality,
      caseNo: record.caseNo,
      expectedVersion: record.version,
      input: {
        decision,
        socialCaseworker: decision === "start" ? DEMO_USERS.socialCaseworker.aadObjectId : "",
        note: decision === "no-basis" ? "Borgeren er allerede i et forløb" : "",
      },
      by: DEMO_USERS.coordinator,
    });
    if (decided.kind !== "decided") throw new Error(`seeding a decision failed: ${decided.kind}`);
  }
}
afterAll(async () => {
  await stack?.stop();
});

/** Birgitte Krogh (leder) subscribes to the overview and asks for it at once (SPEC §8). */
describe("the managers' overview in the Playground", () => {
  it("Birgitte subscribes to the overview on the municipality's schedule", async () => {
    const page = stack.page;
    await page.getByText("Personal Chat").click();
    await say(page, "abonnér på overblik");
    await expect
      .poll(() => page.getByText("Du abonnerer nu på overblikket", { exact: false }).count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    expect(await page.getByText("hver mandag kl. 08.00", { exact: false }).count()).toBeGreaterThan(0);
  });

  it("`overblik` shows the last 7 days with the charts drawn", async () => {
    const page = stack.page;
    await say(page, "overblik");
    await expect.poll(() => page.getByText("Overblik: de seneste 7 dage").count(), { timeout: 20_000 }).toBeGreaterThan(0);
    const card = page.locator(".ac-adaptiveCard", { hasText: "Overblik: de seneste 7 dage" }).last();
    await card.scrollIntoViewIfNeeded();
    // Drawn as charts (SVG), not as the fallback fact lists.
    await expect.poll(() => card.locator("svg").count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    const text = await card.innerText();
    // The charts' legends: decisions per week, and booked vs free slots of the coming meetings.
    for (const legend of ["Start sag", "Ikke grundlag", "Booket", "Ledige"]) expect(text).toContain(legend);
    expect(text).toContain("Borgere i perioden (som Tabel 1)");
    expect(text).toContain("Fælles planer");
    expect(text).not.toContain("registreres endnu ikke");
  });

  it("`overblik 30` shows five weeks of decisions as bars, the agenda's bookings and the joint plans", async () => {
    const page = stack.page;
    await say(page, "overblik 30");
    await expect.poll(() => page.getByText("Overblik: de seneste 30 dage").count(), { timeout: 20_000 }).toBeGreaterThan(0);
    const card = page.locator(".ac-adaptiveCard", { hasText: "Overblik: de seneste 30 dage" }).last();
    await expect.poll(() => card.locator("svg").count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    // Bars are drawn: the weekly chart has a bar for each week's decisions, the agenda chart for each meeting.
    await expect.poll(() => card.locator("svg rect, svg path").count(), { timeout: 10_000 }).toBeGreaterThan(10);
    const text = await card.innerText();
    // The seeded weeks are counted: cases in total, bostøtte decisions and plan steps.
    expect(text).toMatch(/Oprettet [1-9]\d+ \(akut/);
    expect(text).toMatch(/I alt\s+Enige [1-9]/);
    expect(text).toMatch(/Nåede en sagsbehandler\s+(<3|≥3|[1-9])/);
    // The charts at the top of the picture, the figures below them.
    await card.getByText("Langsomste fjerdedel").evaluate((row) => row.scrollIntoView({ block: "start" }));
    await page.waitForTimeout(500);
    await screenshot(page, "30-overview");
  });

  it("`overblik abc` gets a clear Danish answer", async () => {
    const page = stack.page;
    await say(page, "overblik abc");
    await expect
      .poll(() => page.getByText('"abc" er ikke et antal dage', { exact: false }).count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
  });
});
