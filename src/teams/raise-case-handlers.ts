import { randomUUID } from "node:crypto";
import { MessageFactory, type TurnContext } from "botbuilder";
import { z } from "zod";
import { DRAFT_FIELDS, MAX_CHARS, MAX_LINES, type CaseDraft, type CaseRecord, type FieldErrors } from "../domain/case.js";
import { maskCpr } from "../domain/cpr.js";
import type { Municipality } from "../domain/municipality.js";
import { raiseCase, type RaiseCaseOutcome } from "../domain/raise-case.js";
import { formatDanishDate } from "../domain/time.js";
import { caseMeetingText, formatDanishDateTime, forumName, isPersonalChat, meetingOfCase, municipalityOf, type BotDeps } from "./bot-deps.js";
import { cardAttachment, escapeMarkdown, renderCard, type CardData, type CardJson } from "./cards.js";
import { rememberPersonalChat } from "./forum-handlers.js";
import { fieldErrorText, TEXT } from "./messages.js";
import { VERBS } from "./verbs.js";

/** The raise-case form's submit: the inputs as typed, plus the id of the rendered form. */
const submitCaseData = z.object({
  submissionId: z.string().uuid(),
  cpr: z.string().max(40).optional().default(""),
  health: z.string().max(20_000).optional().default(""),
  social: z.string().max(20_000).optional().default(""),
  question: z.string().max(20_000).optional().default(""),
  department: z.string().max(200).optional().default(""),
  acute: z.enum(["true", "false"]).optional().default("false"),
  acuteReason: z.string().max(20_000).optional().default(""),
});

const LIST_LIMIT = 20;

export async function sendHelpAndForm(ctx: TurnContext, deps: BotDeps, prefix: string): Promise<void> {
  if (!isPersonalChat(ctx)) {
    await ctx.sendActivity(MessageFactory.text(TEXT.personalChatOnly));
    return;
  }
  const municipality = municipalityOf(ctx, deps);
  if (!municipality) {
    await ctx.sendActivity(TEXT.unknownTenant);
    return;
  }
  await rememberPersonalChat(ctx, deps);
  const firstName = (ctx.activity.from.name ?? "").split(" ")[0] ?? "";
  const greeting = [prefix, TEXT.greeting(escapeMarkdown(firstName))].filter(Boolean).join(" ");
  await ctx.sendActivities([
    MessageFactory.attachment(cardAttachment("help", helpData(municipality, greeting))),
    MessageFactory.attachment(cardAttachment("case-form", formData(municipality, randomUUID(), emptyDraft(), {}, ""))),
  ]);
}

export async function submitCase(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const municipality = municipalityOf(ctx, deps);
  if (!municipality) return TEXT.unknownTenant;
  const parsed = submitCaseData.safeParse(raw);
  if (!parsed.success) return TEXT.expiredForm;
  const input = parsed.data;
  const draft: CaseDraft = {
    cpr: input.cpr,
    health: input.health,
    social: input.social,
    question: input.question,
    department: input.department,
    acute: input.acute === "true",
    acuteReason: input.acuteReason,
  };
  const user = { aadObjectId: ctx.activity.from.aadObjectId ?? "", name: ctx.activity.from.name ?? "" };
  if (!user.aadObjectId) return TEXT.notCaseworker;

  let outcome: RaiseCaseOutcome;
  try {
    outcome = await raiseCase(
      { ...deps, openMeetings: (m, now) => deps.calendar.openForBooking(m, now) },
      { municipality, submissionId: input.submissionId, user, draft },
    );
  } catch (error) {
    // Storage failing mid-flow: the form comes back as typed, so nothing is lost.
    deps.logger.error({ err: error }, "raise case failed");
    return renderCard("case-form", formData(municipality, input.submissionId, draft, {}, TEXT.storageDown));
  }
  switch (outcome.kind) {
    case "not-caseworker":
      return TEXT.notCaseworker;
    case "invalid":
      return renderCard("case-form", formData(municipality, input.submissionId, draft, outcome.errors, TEXT.formHasErrors));
    case "no-free-meeting":
      return renderCard("case-form", formData(municipality, input.submissionId, draft, {}, TEXT.noFreeMeeting));
    case "raised": {
      deps.logger.info({ tenant: municipality.tenantId, caseNo: outcome.record.caseNo, created: outcome.created }, "case raised");
      const channel = await deps.addresses.forumChannel(municipality.tenantId, outcome.record.forumId);
      const skipped = (outcome.booking?.skippedFull ?? []).map((m) => formatDanishDate(m.startsAt, deps.timeZone));
      return renderCard("case-raised", raisedData(deps, municipality, outcome.record, !outcome.created, channel !== undefined, skipped));
    }
  }
}

export async function sendMyCases(ctx: TurnContext, deps: BotDeps): Promise<void> {
  if (!isPersonalChat(ctx)) {
    await ctx.sendActivity(TEXT.personalChatOnly);
    return;
  }
  const municipality = municipalityOf(ctx, deps);
  const user = ctx.activity.from.aadObjectId;
  if (!municipality) {
    await ctx.sendActivity(TEXT.unknownTenant);
    return;
  }
  if (!user) {
    await ctx.sendActivity(TEXT.notCaseworker);
    return;
  }
  const records = await deps.cases.listRaisedBy(municipality.tenantId, user, LIST_LIMIT);
  const data: CardData["my-cases"] = {
    count: records.length,
    summary:
      records.length >= LIST_LIMIT
        ? `Dine ${LIST_LIMIT} nyeste sager, nyeste først.`
        : `${records.length} ${records.length === 1 ? "sag" : "sager"}, nyeste først.`,
    cases: records.map((r) => ({
      reference: r.reference,
      maskedCpr: maskCpr(r.cprDigits),
      age: r.age,
      stateText: (r.acute ? "AKUT · " : "") + (TEXT.stateText[r.state] ?? r.state),
      stateColor: r.acute ? "Attention" : "Default",
      forumName: forumName(municipality, r.forumId),
      meetingText: caseMeetingText(deps, municipality, r),
      raisedAt: formatDanishDate(r.raisedAt, deps.timeZone),
    })),
  };
  await ctx.sendActivity(MessageFactory.attachment(cardAttachment("my-cases", data)));
}

function emptyDraft(): CaseDraft {
  return { cpr: "", health: "", social: "", question: "", department: "", acute: false, acuteReason: "" };
}

function formData(
  municipality: Municipality,
  submissionId: string,
  draft: CaseDraft,
  errors: FieldErrors,
  formError: string,
): CardData["case-form"] {
  const errorTexts = Object.fromEntries(
    DRAFT_FIELDS.map((f) => [f, errors[f] ? fieldErrorText(errors[f], municipality.minimumAge) : ""]),
  ) as CardData["case-form"]["errors"];
  return {
    verb: VERBS.submitCase,
    submissionId,
    maxLines: MAX_LINES,
    maxChars: MAX_CHARS,
    formError,
    values: { ...draft, acute: draft.acute ? "true" : "false" },
    errors: errorTexts,
    departments: municipality.departments.map((d) => ({ title: d, value: d })),
  };
}

function raisedData(
  deps: BotDeps,
  municipality: Municipality,
  record: CaseRecord,
  repeated: boolean,
  forumHasChannel: boolean,
  skippedFullDates: string[],
): CardData["case-raised"] {
  const forum = forumName(municipality, record.forumId);
  const meeting = meetingOfCase(deps, municipality, record);
  const steps: string[] = [];
  if (record.state === "acute") steps.push(TEXT.acuteRaised(forum));
  else if (meeting) steps.push(TEXT.booked(forum, formatDanishDateTime(meeting.agendaDeadline, deps.timeZone)));
  if (skippedFullDates.length > 0) steps.push(TEXT.meetingsFull(skippedFullDates));
  steps.push(forumHasChannel ? TEXT.nextStepRaised : TEXT.nextStepNoChannel(forum));
  return {
    reference: record.reference,
    repeated,
    acute: record.acute,
    maskedCpr: maskCpr(record.cprDigits),
    age: record.age,
    forumName: forum,
    department: record.department,
    meetingText: caseMeetingText(deps, municipality, record),
    raisedAt: formatDanishDate(record.raisedAt, deps.timeZone),
    nextStep: steps.join(" "),
  };
}

function helpData(municipality: Municipality, greeting: string): CardData["help"] {
  return {
    greeting,
    forums: municipality.forums.map((f) => ({
      ageRange: f.maxAge === undefined ? `${f.minAge} år og ældre` : `${Math.max(f.minAge, municipality.minimumAge)}–${f.maxAge} år`,
      name: f.name,
    })),
  };
}
