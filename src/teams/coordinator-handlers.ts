import type { TurnContext } from "botbuilder";
import { z } from "zod";
import { parseMeetingKey } from "../domain/booking.js";
import {
  cancelMeeting as cancelMeetingUseCase,
  moveCase as moveCaseUseCase,
  moveOptions,
  prepareMeetingCancellation,
} from "../domain/move-case.js";
import type { BotDeps } from "./bot-deps.js";
import type { CardJson } from "./cards.js";
import { caseRef } from "./forum-handlers.js";
import { TEXT } from "./messages.js";
import { cardNumber, readTurn, type Turn } from "./turn.js";
import { cancelMeetingCard } from "./views/cancel-meeting.js";
import { caseInForumCard } from "./views/case-in-forum.js";
import { meetingCancelledCard } from "./views/meeting-cancelled.js";
import { moveCaseCard } from "./views/move-case.js";

const moveInput = z.object({
  caseNo: cardNumber(1),
  version: cardNumber(1),
  meeting: z.string().max(60).optional().default(""),
});
const meetingRef = z.object({ meeting: z.string().max(60) });

/** "Flyt sag": the forum's coordinators choose another meeting; everyone else is refused. */
export async function showMoveCase(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, caseRef, raw, TEXT.unknownCase);
  return read.ok ? moveForm(deps, read.turn) : read.answer;
}

/** The move form, again with an error and the coordinator's choice kept when a move failed. */
async function moveForm(
  deps: BotDeps,
  turn: Turn<{ caseNo: number }>,
  form: { error?: string; selected?: string } = {},
): Promise<CardJson | string> {
  const outcome = await moveOptions(deps, { municipality: turn.municipality, caseNo: turn.data.caseNo, user: turn.user.aadObjectId });
  switch (outcome.kind) {
    case "unknown-case":
      return TEXT.unknownCase;
    case "not-allowed":
      return TEXT.onlyCoordinators;
    case "not-booked":
      return TEXT.notBooked;
    case "options":
      return moveCaseCard(turn.view, outcome.record, outcome.meetings, form);
  }
}

/** "Flyt sagen" on the move form. */
export async function moveCase(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, moveInput, raw, TEXT.unknownCase);
  if (!read.ok) return read.answer;
  const { municipality, user, data, view } = read.turn;
  if (!parseMeetingKey(data.meeting)) return moveForm(deps, read.turn, { error: TEXT.chooseMeeting });
  const outcome = await moveCaseUseCase(deps, {
    municipality,
    caseNo: data.caseNo,
    expectedVersion: data.version,
    target: { kind: "meeting", key: data.meeting },
    by: user.aadObjectId,
    reason: "moved",
  });
  switch (outcome.kind) {
    case "moved":
      deps.logger.info({ tenant: municipality.tenantId, caseNo: data.caseNo }, "case moved");
      return caseInForumCard(view, outcome.record);
    case "stale":
      return caseInForumCard(view, outcome.record);
    case "not-allowed":
      return TEXT.onlyCoordinators;
    case "not-booked":
      return TEXT.notBooked;
    case "unknown-case":
      return TEXT.unknownCase;
    case "unknown-meeting":
      return moveForm(deps, read.turn, { error: TEXT.meetingNotAvailable, selected: data.meeting });
    case "no-free-meeting":
      return moveForm(deps, read.turn, { error: TEXT.meetingFull, selected: data.meeting });
  }
}

/** "Aflys mødet" on an agenda: a confirmation first, for the forum's coordinators only. */
export async function showCancelMeeting(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, meetingRef, raw, TEXT.meetingNotAvailable);
  if (!read.ok) return read.answer;
  const { municipality, user, data, view } = read.turn;
  const outcome = await prepareMeetingCancellation(deps, { municipality, meetingKey: data.meeting, user: user.aadObjectId });
  switch (outcome.kind) {
    case "unknown-meeting":
      return TEXT.meetingNotAvailable;
    case "not-allowed":
      return TEXT.onlyCoordinators;
    case "confirm":
      return cancelMeetingCard(view, outcome.meeting, outcome.booked);
  }
}

/** "Ja, aflys mødet": the meeting is cancelled and its cases move on. */
export async function cancelMeeting(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, meetingRef, raw, TEXT.meetingNotAvailable);
  if (!read.ok) return read.answer;
  const { municipality, user, data, view } = read.turn;
  const outcome = await cancelMeetingUseCase(deps, { municipality, meetingKey: data.meeting, by: user.aadObjectId });
  switch (outcome.kind) {
    case "not-allowed":
      return TEXT.onlyCoordinators;
    case "unknown-meeting":
      return TEXT.meetingNotAvailable;
    case "already-cancelled":
      return TEXT.alreadyCancelled;
    case "cancelled":
      deps.logger.info({ tenant: municipality.tenantId, meeting: data.meeting, moved: outcome.moved.length }, "meeting cancelled");
      return meetingCancelledCard(view, outcome);
  }
}
