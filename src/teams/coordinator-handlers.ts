import type { TurnContext } from "botbuilder";
import { z } from "zod";
import { canManageForum } from "../domain/access.js";
import { meetingKey, parseMeetingKey } from "../domain/booking.js";
import { cancelMeeting, moveCase } from "../domain/move-case.js";
import { caseMeetingText, formatDanishDateTime, forumName, municipalityOf, type BotDeps } from "./bot-deps.js";
import { renderCard, type CardJson } from "./cards.js";
import { caseFromCard, caseInForumData } from "./forum-handlers.js";
import { TEXT } from "./messages.js";
import { VERBS } from "./verbs.js";

const moveInput = z.object({
  caseNo: z.coerce.number().int().positive(),
  version: z.coerce.number().int().positive(),
  meeting: z.string().max(60).optional().default(""),
});
const meetingRef = z.object({ meeting: z.string().max(60) });

/** How many meetings a coordinator can choose between when moving a case. */
const MOVE_CHOICES = 6;

/** "Flyt sag": the forum's coordinators choose another meeting; everyone else is refused. */
export async function showMoveCase(ctx: TurnContext, deps: BotDeps, raw: unknown, error = "", selected = ""): Promise<CardJson | string> {
  const found = await caseFromCard(ctx, deps, raw);
  if (typeof found === "string") return found;
  const { municipality, record } = found;
  if (!canManageForum(municipality, record.forumId, ctx.activity.from?.aadObjectId ?? "")) return TEXT.onlyCoordinators;
  if (record.state !== "booked") return TEXT.notBooked;
  const upcoming = deps.calendar.upcoming(municipality, record.forumId, deps.clock.now(), MOVE_CHOICES + 1);
  const meetings = [];
  for (const m of upcoming) {
    const key = meetingKey(m);
    if (key === record.meetingKey) continue;
    const status = await deps.meetings.status(municipality.tenantId, m);
    if (status.cancelled) continue;
    const free = m.capacity - (await deps.meetings.bookings(municipality.tenantId, m)).length;
    meetings.push({ key, title: `${formatDanishDateTime(m.startsAt, deps.timeZone)} — ${free > 0 ? `${free} ledige` : "fuldt"}` });
  }
  return renderCard("move-case", {
    caseNo: record.caseNo,
    version: record.version,
    reference: record.reference,
    meetingText: caseMeetingText(deps, municipality, record),
    error,
    selected,
    meetings: meetings.slice(0, MOVE_CHOICES),
    moveVerb: VERBS.moveCase,
    cancelVerb: VERBS.showCaseSummary,
  });
}

export async function submitMoveCase(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const municipality = municipalityOf(ctx, deps);
  if (!municipality) return TEXT.unknownTenant;
  const parsed = moveInput.safeParse(raw);
  if (!parsed.success) return TEXT.unknownCase;
  const input = parsed.data;
  if (!parseMeetingKey(input.meeting)) return showMoveCase(ctx, deps, input, TEXT.chooseMeeting);
  const outcome = await moveCase(deps, {
    municipality,
    caseNo: input.caseNo,
    expectedVersion: input.version,
    target: { kind: "meeting", key: input.meeting },
    by: ctx.activity.from?.aadObjectId ?? "",
    reason: "moved",
  });
  switch (outcome.kind) {
    case "moved":
      deps.logger.info({ tenant: municipality.tenantId, caseNo: input.caseNo }, "case moved");
      return renderCard("case-in-forum", caseInForumData(deps, municipality, outcome.record));
    case "not-allowed":
      return TEXT.onlyCoordinators;
    case "stale":
      return renderCard("case-in-forum", caseInForumData(deps, municipality, outcome.record));
    case "not-booked":
      return TEXT.notBooked;
    case "unknown-case":
      return TEXT.unknownCase;
    case "unknown-meeting":
      return showMoveCase(ctx, deps, input, TEXT.meetingNotAvailable, input.meeting);
    case "no-free-meeting":
      return showMoveCase(ctx, deps, input, TEXT.meetingFull, input.meeting);
  }
}

/** "Aflys mødet" on an agenda: a confirmation first, for the forum's coordinators only. */
export async function confirmCancelMeeting(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const municipality = municipalityOf(ctx, deps);
  if (!municipality) return TEXT.unknownTenant;
  const key = meetingRef.safeParse(raw).data?.meeting;
  const parsedKey = key ? parseMeetingKey(key) : undefined;
  const meeting = parsedKey && deps.calendar.find(municipality, parsedKey.forumId, parsedKey.date);
  if (!meeting) return TEXT.meetingNotAvailable;
  if (!canManageForum(municipality, meeting.forumId, ctx.activity.from?.aadObjectId ?? "")) return TEXT.onlyCoordinators;
  const booked = (await deps.meetings.bookings(municipality.tenantId, meeting)).length;
  return renderCard("cancel-meeting", {
    title: `Aflys ${forumName(municipality, meeting.forumId)}s møde?`,
    meetingText: formatDanishDateTime(meeting.startsAt, deps.timeZone),
    message: TEXT.cancelQuestion(booked),
    lines: [],
    confirm: true,
    meetingKey: meetingKey(meeting),
    confirmVerb: VERBS.cancelMeeting,
  });
}

export async function submitCancelMeeting(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const municipality = municipalityOf(ctx, deps);
  if (!municipality) return TEXT.unknownTenant;
  const key = meetingRef.safeParse(raw).data?.meeting;
  const parsedKey = key ? parseMeetingKey(key) : undefined;
  if (!parsedKey) return TEXT.meetingNotAvailable;
  const outcome = await cancelMeeting(deps, { municipality, ...parsedKey, by: ctx.activity.from?.aadObjectId ?? "" });
  const meeting = deps.calendar.find(municipality, parsedKey.forumId, parsedKey.date);
  const meetingText = meeting ? formatDanishDateTime(meeting.startsAt, deps.timeZone) : parsedKey.date;
  switch (outcome.kind) {
    case "not-allowed":
      return TEXT.onlyCoordinators;
    case "unknown-meeting":
      return TEXT.meetingNotAvailable;
    case "already-cancelled":
      return TEXT.alreadyCancelled;
    case "cancelled":
      deps.logger.info({ tenant: municipality.tenantId, meeting: key, moved: outcome.moved.length }, "meeting cancelled");
      return renderCard("cancel-meeting", {
        title: "Mødet er aflyst",
        meetingText,
        message: TEXT.cancelled(outcome.moved.length, outcome.unplaced.length),
        lines: [
          ...outcome.moved.map((m) => ({ text: `${m.record.reference} → ${formatDanishDateTime(m.to.startsAt, deps.timeZone)}` })),
          ...outcome.unplaced.map((r) => ({ text: `${r.reference}: ${TEXT.unplaced}` })),
        ],
        confirm: false,
        meetingKey: key ?? "",
        confirmVerb: VERBS.cancelMeeting,
      });
  }
}
