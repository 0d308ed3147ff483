import { MessageFactory, type TurnContext } from "botbuilder";
import { z } from "zod";
import type { Municipality } from "../domain/municipality.js";
import {
  consentInForce,
  followUpDatesOf,
  FOLLOW_UP_KINDS,
  isFollowUpRecorded,
  MAX_EFFORTS,
  ownerIds,
  type PlanDraft,
  type PlanRecord,
} from "../domain/plan.js";
import {
  approvePlan as approvePlanUseCase,
  editPlan as editPlanUseCase,
  exportPlan as exportPlanUseCase,
  localIsoDate,
  openPlan as openPlanUseCase,
  plansOf,
  recordConsent,
  recordFollowUp,
  recordRefusal,
  registerMeetings,
  viewPlan,
  withdrawConsent,
} from "../domain/plan-use-cases.js";
import type { BotDeps } from "./bot-deps.js";
import { cardAttachment, type CardJson } from "./cards.js";
import { escapeMarkdown, isoDateText } from "./format.js";
import { PLAN_TEXT, TEXT } from "./messages.js";
import { planExportText } from "./plan-export.js";
import { cardNumber, isPersonalChat, readTurn, type Turn } from "./turn.js";
import { myPlansCard } from "./views/my-plans.js";
import { ownerName, planCard, type PlanBanner } from "./views/plan.js";
import { planConsentCard } from "./views/plan-consent.js";
import { planFollowUpCard } from "./views/plan-follow-up.js";
import { emptyEffort, planFormCard, planFormValuesOf, type EffortFormValues, type PlanFormValues } from "./views/plan-form.js";
import { planMeetingsCard } from "./views/plan-meetings.js";
import { planWithdrawConsentCard } from "./views/plan-withdraw-consent.js";

/*
 * The joint plan in Teams (SPEC §5; seed 001 "Borgers plan"). Every button answers with the
 * next card: the Playground opens no dialogs and ignores `refresh`, so the plan form answers
 * "Tilføj indsats", "Fjern" and "Gem" with itself, everything typed kept (see README).
 */

const noInput = z.object({});
const text = (max: number) => z.string().max(max).optional().default("");
const caseRef = z.object({ caseNo: cardNumber(1) });
const versionRef = caseRef.extend({ version: cardNumber(0) });

/**
 * The plan form as submitted: the ids (the version edited; the effort rows' ids in order,
 * from the form's hidden input) and the inputs, named by the field path the domain reports
 * errors under (`efforts.2.after`).
 */
const planFormInput = versionRef
  .extend({
    effortIds: text(400)
      .transform((ids) => ids.split(/\s+/).filter(Boolean))
      .pipe(z.array(z.string().max(20)).max(MAX_EFFORTS)),
    remove: text(20),
  })
  .catchall(z.unknown());

const meetingsInput = caseRef.extend({ coordinationMeeting: text(40), jointConversation: text(40) });
const consentInput = versionRef.extend({ givenOn: text(40), efforts: text(1_000), sharedInformation: text(1_000), note: text(20_000) });
const withdrawInput = caseRef.extend({ on: text(40), note: text(20_000) });
const followUpKind = z
  .union([z.enum(FOLLOW_UP_KINDS), z.literal("")])
  .optional()
  .default("");
const followUpRef = caseRef.extend({ kind: followUpKind });
const followUpInput = caseRef.extend({ kind: followUpKind, heldOn: text(40), note: text(20_000) });

/** A Teams message stays well under its ~28 KB limit; a longer export (years of follow-up notes) is sent in parts. */
const MAX_MESSAGE_BYTES = 24_000;

/** `planer` in personal chat: the plans the caseworker takes part in, each with a button to open it. */
export async function sendMyPlans(ctx: TurnContext, deps: BotDeps): Promise<void> {
  if (!isPersonalChat(ctx)) return void (await ctx.sendActivity(TEXT.personalChatOnly));
  const read = readTurn(ctx, deps, noInput, {}, TEXT.unknownTenant);
  if (!read.ok) return void (await ctx.sendActivity(read.answer));
  const { municipality, user } = read.turn;
  const mine = user.aadObjectId ? await plansOf(deps, { municipality, user: user.aadObjectId }) : { plans: [], limited: false };
  await ctx.sendActivity(MessageFactory.attachment(cardAttachment(myPlansCard(mine, user.aadObjectId))));
}

/** "Åbn fælles plan" (decision card, `planer`, a plan message): opens the plan of a visitated case, or shows it. */
export async function openPlan(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, caseRef, raw, PLAN_TEXT.expired);
  if (!read.ok) return read.answer;
  const { municipality, user, data } = read.turn;
  const outcome = await openPlanUseCase(deps, { municipality, caseNo: data.caseNo, by: user });
  switch (outcome.kind) {
    case "opened":
      deps.logger.info({ tenant: municipality.tenantId, caseNo: data.caseNo }, "joint plan opened");
      return show(deps, read.turn, outcome.plan, { text: PLAN_TEXT.opened(other(outcome.plan, user.aadObjectId)), tone: "good" });
    case "already-open":
      return show(deps, read.turn, outcome.plan);
    case "not-visitated":
      return PLAN_TEXT.notVisitated;
    case "not-allowed":
      return PLAN_TEXT.notOwner;
    case "unknown-case":
      return TEXT.unknownCase;
  }
}

/** "Redigér": the plan form, filled with the stored plan (one empty effort row for a new plan). */
export async function showEditPlan(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, caseRef, raw, PLAN_TEXT.expired);
  if (!read.ok) return read.answer;
  const found = await ownersPlan(deps, read.turn, read.turn.data.caseNo, "edit: the plan form");
  if ("answer" in found) return found.answer;
  const { plan } = found;
  if (plan.state === "ended") return show(deps, read.turn, plan, { text: PLAN_TEXT.endedNoChange, tone: "attention" });
  return planFormCard(plan, planFormValuesOf(plan.content), { version: plan.version });
}

/** "Tilføj indsats" on the form: the same form with one more, empty effort row; everything typed kept. */
export async function addPlanEffort(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, planFormInput, raw, PLAN_TEXT.expired);
  if (!read.ok) return read.answer;
  const { data } = read.turn;
  const found = await ownersPlan(deps, read.turn, data.caseNo, "edit: add an effort row");
  if ("answer" in found) return found.answer;
  const values = formValuesFrom(data);
  if (values.efforts.length >= MAX_EFFORTS)
    return planFormCard(found.plan, values, { version: data.version, errors: { efforts: "efforts.too-many" } });
  const more = { ...values, efforts: [...values.efforts, emptyEffort(values.efforts.map((e) => e.id))] };
  return planFormCard(found.plan, more, { version: data.version });
}

/** "Fjern" on an effort row: the same form without that row; everything else typed kept. */
export async function removePlanEffort(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, planFormInput, raw, PLAN_TEXT.expired);
  if (!read.ok) return read.answer;
  const { data } = read.turn;
  const found = await ownersPlan(deps, read.turn, data.caseNo, "edit: remove an effort row");
  if ("answer" in found) return found.answer;
  const values = formValuesFrom(data);
  const efforts = values.efforts
    .filter((e) => e.id !== data.remove)
    // An effort that came after the removed one now runs in parallel; the form shows it.
    .map((e) => (e.after === data.remove ? { ...e, after: "" } : e));
  return planFormCard(found.plan, { ...values, efforts }, { version: data.version });
}

/** "Gem": the form becomes a new version of the plan, or comes back with each error beside its field. */
export async function editPlan(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, planFormInput, raw, PLAN_TEXT.expired);
  if (!read.ok) return read.answer;
  const { municipality, user, data } = read.turn;
  const values = formValuesFrom(data);
  const outcome = await editPlanUseCase(deps, {
    municipality,
    caseNo: data.caseNo,
    expectedVersion: data.version,
    draft: planDraftOf(values, municipality),
    by: user,
  });
  switch (outcome.kind) {
    case "saved": {
      const { plan } = outcome;
      deps.logger.info({ tenant: municipality.tenantId, caseNo: data.caseNo, version: plan.version }, "joint plan saved");
      return show(deps, read.turn, plan, {
        text: PLAN_TEXT.saved(plan.version, other(plan, user.aadObjectId), outcome.approvalsCleared),
        tone: "good",
      });
    }
    case "unchanged":
      return show(deps, read.turn, outcome.plan, { text: PLAN_TEXT.unchanged, tone: "neutral" });
    case "invalid":
      return planFormCard(outcome.plan, values, { version: data.version, errors: outcome.errors, banner: PLAN_TEXT.formHasErrors });
    case "conflict":
      // The other owner saved first: the newer version's changes, and the form as typed, now over that version.
      return planFormCard(outcome.plan, values, { version: outcome.plan.version, conflict: true });
    case "not-allowed-now":
      return show(deps, read.turn, outcome.plan, { text: PLAN_TEXT.endedNoChange, tone: "attention" });
    case "not-allowed":
      return PLAN_TEXT.notOwner;
    case "no-plan":
      return PLAN_TEXT.noPlan;
  }
}

/** "Godkend version N": the owner's approval; the second approval of the same version makes the owners agreed. */
export async function approvePlan(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, versionRef, raw, PLAN_TEXT.expired);
  if (!read.ok) return read.answer;
  const { municipality, user, data } = read.turn;
  const outcome = await approvePlanUseCase(deps, { municipality, caseNo: data.caseNo, version: data.version, by: user });
  switch (outcome.kind) {
    case "approved": {
      const { plan } = outcome;
      const banner = outcome.active
        ? PLAN_TEXT.resumed(data.version)
        : outcome.agreed
          ? PLAN_TEXT.agreed(data.version)
          : PLAN_TEXT.approved(data.version, other(plan, user.aadObjectId));
      return show(deps, read.turn, plan, { text: banner, tone: "good" });
    }
    case "already-approved":
      return show(deps, read.turn, outcome.plan, { text: PLAN_TEXT.alreadyApproved(outcome.plan.version), tone: "neutral" });
    case "stale":
      return show(deps, read.turn, outcome.plan, { text: PLAN_TEXT.approveStale(outcome.plan.version), tone: "attention" });
    case "incomplete":
      return show(deps, read.turn, outcome.plan, { text: PLAN_TEXT.incomplete, tone: "attention" });
    case "not-allowed-now":
      return show(deps, read.turn, outcome.plan, { text: notNow(outcome.plan), tone: "attention" });
    case "not-allowed":
      return PLAN_TEXT.notOwner;
    case "no-plan":
      return PLAN_TEXT.noPlan;
  }
}

/** "Registrér møder": the koordineringsmøde and fællessamtale form, filled with what is registered. */
export async function showPlanMeetings(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, caseRef, raw, PLAN_TEXT.expired);
  if (!read.ok) return read.answer;
  const found = await ownersPlan(deps, read.turn, read.turn.data.caseNo, "meetings: the form");
  if ("answer" in found) return found.answer;
  const { plan } = found;
  if (plan.state === "ended") return show(deps, read.turn, plan, { text: PLAN_TEXT.endedNoChange, tone: "attention" });
  return planMeetingsCard(plan, {
    coordinationMeeting: plan.meetings?.coordinationMeeting ?? "",
    jointConversation: plan.meetings?.jointConversation ?? "",
  });
}

export async function registerPlanMeetings(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, meetingsInput, raw, PLAN_TEXT.expired);
  if (!read.ok) return read.answer;
  const { municipality, user, data } = read.turn;
  const input = { coordinationMeeting: data.coordinationMeeting, jointConversation: data.jointConversation };
  const outcome = await registerMeetings(deps, { municipality, caseNo: data.caseNo, input, by: user });
  switch (outcome.kind) {
    case "registered":
      return show(deps, read.turn, outcome.plan, { text: PLAN_TEXT.meetingsRegistered, tone: "good" });
    case "invalid":
      return planMeetingsCard(outcome.plan, input, { errors: outcome.errors, banner: PLAN_TEXT.formNotSaved });
    case "not-allowed-now":
      return show(deps, read.turn, outcome.plan, { text: notNow(outcome.plan), tone: "attention" });
    case "not-allowed":
      return PLAN_TEXT.notOwner;
    case "no-plan":
      return PLAN_TEXT.noPlan;
  }
}

/** "Registrér samtykke / afslag": the citizen's answer, once the owners agree. */
export async function showPlanConsent(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, caseRef, raw, PLAN_TEXT.expired);
  if (!read.ok) return read.answer;
  const found = await ownersPlan(deps, read.turn, read.turn.data.caseNo, "consent: the form");
  if ("answer" in found) return found.answer;
  const { plan } = found;
  if (plan.state !== "agreed") return show(deps, read.turn, plan, { text: PLAN_TEXT.consentNotNow, tone: "attention" });
  // The citizen is offered the whole plan; the caseworker unticks what they decline.
  const efforts = (plan.content?.efforts ?? []).map((e) => e.id);
  return planConsentCard(plan, { givenOn: "", efforts, sharedInformation: [], note: "" });
}

export async function recordPlanConsent(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, consentInput, raw, PLAN_TEXT.expired);
  if (!read.ok) return read.answer;
  const { municipality, user, data } = read.turn;
  const input = {
    givenOn: data.givenOn,
    efforts: choices(data.efforts),
    sharedInformation: choices(data.sharedInformation),
    note: data.note,
  };
  const outcome = await recordConsent(deps, { municipality, caseNo: data.caseNo, expectedVersion: data.version, input, by: user });
  switch (outcome.kind) {
    case "active":
      deps.logger.info({ tenant: municipality.tenantId, caseNo: data.caseNo }, "joint plan active");
      return show(deps, read.turn, outcome.plan, { text: PLAN_TEXT.consentRecorded, tone: "good" });
    case "invalid": {
      const errors = Object.fromEntries(Object.entries(outcome.errors).map(([field, code]) => [field, PLAN_TEXT.consentError[code]]));
      return planConsentCard(outcome.plan, input, { errors, banner: PLAN_TEXT.formNotSaved });
    }
    case "stale":
      return show(deps, read.turn, outcome.plan, { text: PLAN_TEXT.consentStale(outcome.plan.version), tone: "attention" });
    case "not-allowed-now":
      return show(deps, read.turn, outcome.plan, {
        text: outcome.plan.state === "ended" ? PLAN_TEXT.endedNoChange : PLAN_TEXT.consentNotNow,
        tone: "attention",
      });
    case "not-allowed":
      return PLAN_TEXT.notOwner;
    case "no-plan":
      return PLAN_TEXT.noPlan;
  }
}

/** "Registrér afslag" on the consent form: the citizen declines the offer, and the plan ends. */
export async function recordPlanRefusal(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, consentInput, raw, PLAN_TEXT.expired);
  if (!read.ok) return read.answer;
  const { municipality, user, data } = read.turn;
  const typed = {
    givenOn: data.givenOn,
    efforts: choices(data.efforts),
    sharedInformation: choices(data.sharedInformation),
    note: data.note,
  };
  const outcome = await recordRefusal(deps, {
    municipality,
    caseNo: data.caseNo,
    expectedVersion: data.version,
    input: { on: data.givenOn, note: data.note },
    by: user,
  });
  switch (outcome.kind) {
    case "ended":
      return show(deps, read.turn, outcome.plan, { text: PLAN_TEXT.refusalRecorded, tone: "neutral" });
    case "invalid": {
      const { on, note } = outcome.errors;
      const errors = { givenOn: on ? PLAN_TEXT.datedNoteError[on] : "", note: note ? PLAN_TEXT.datedNoteError[note] : "" };
      return planConsentCard(outcome.plan, typed, { errors, banner: PLAN_TEXT.formNotSaved });
    }
    case "stale":
      return show(deps, read.turn, outcome.plan, { text: PLAN_TEXT.consentStale(outcome.plan.version), tone: "attention" });
    case "no-consent":
    case "not-allowed-now":
      return show(deps, read.turn, outcome.plan, {
        text: outcome.plan.state === "ended" ? PLAN_TEXT.endedNoChange : PLAN_TEXT.consentNotNow,
        tone: "attention",
      });
    case "not-allowed":
      return PLAN_TEXT.notOwner;
    case "no-plan":
      return PLAN_TEXT.noPlan;
  }
}

/** "Træk samtykke tilbage": when and why; the plan then ends. */
export async function showWithdrawPlanConsent(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, caseRef, raw, PLAN_TEXT.expired);
  if (!read.ok) return read.answer;
  const found = await ownersPlan(deps, read.turn, read.turn.data.caseNo, "withdraw consent: the form");
  if ("answer" in found) return found.answer;
  const { plan } = found;
  if (plan.state === "ended" || !consentInForce(plan)) return show(deps, read.turn, plan, { text: PLAN_TEXT.noConsent, tone: "attention" });
  return planWithdrawConsentCard(plan, { on: "", note: "" });
}

export async function withdrawPlanConsent(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, withdrawInput, raw, PLAN_TEXT.expired);
  if (!read.ok) return read.answer;
  const { municipality, user, data } = read.turn;
  const input = { on: data.on, note: data.note };
  const outcome = await withdrawConsent(deps, { municipality, caseNo: data.caseNo, input, by: user });
  switch (outcome.kind) {
    case "ended":
      deps.logger.info({ tenant: municipality.tenantId, caseNo: data.caseNo }, "consent to a joint plan withdrawn");
      return show(deps, read.turn, outcome.plan, { text: PLAN_TEXT.consentWithdrawnDone, tone: "neutral" });
    case "invalid":
      return planWithdrawConsentCard(outcome.plan, input, { errors: outcome.errors, banner: PLAN_TEXT.formNotSaved });
    case "no-consent":
    case "stale":
    case "not-allowed-now":
      return show(deps, read.turn, outcome.plan, {
        text: outcome.plan.state === "ended" ? PLAN_TEXT.endedNoChange : PLAN_TEXT.noConsent,
        tone: "attention",
      });
    case "not-allowed":
      return PLAN_TEXT.notOwner;
    case "no-plan":
      return PLAN_TEXT.noPlan;
  }
}

/** "Registrér opfølgning" (plan card, follow-up message): which follow-up was held, when, and a note. */
export async function showPlanFollowUp(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, followUpRef, raw, PLAN_TEXT.expired);
  if (!read.ok) return read.answer;
  const { data } = read.turn;
  const found = await ownersPlan(deps, read.turn, data.caseNo, "follow-up: the form");
  if ("answer" in found) return found.answer;
  const { plan } = found;
  const open = followUpDatesOf(plan).filter((f) => !isFollowUpRecorded(plan, f.kind, f.date));
  if (open.length === 0)
    return show(deps, read.turn, plan, {
      text: plan.state === "ended" ? PLAN_TEXT.endedNoChange : PLAN_TEXT.nothingToFollowUp,
      tone: "neutral",
    });
  const kind = open.some((f) => f.kind === data.kind) ? data.kind : open.length === 1 ? open[0]!.kind : "";
  return planFollowUpCard(plan, { kind, heldOn: localIsoDate(deps.clock.now(), deps.timeZone), note: "" });
}

export async function recordPlanFollowUp(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, followUpInput, raw, PLAN_TEXT.expired);
  if (!read.ok) return read.answer;
  const { municipality, user, data } = read.turn;
  const typed = { kind: data.kind, heldOn: data.heldOn, note: data.note };
  if (data.kind === "") {
    const found = await ownersPlan(deps, read.turn, data.caseNo, "follow-up: the form");
    if ("answer" in found) return found.answer;
    return planFollowUpCard(found.plan, typed, { kindMissing: true, banner: PLAN_TEXT.formNotSaved });
  }
  const outcome = await recordFollowUp(deps, { municipality, caseNo: data.caseNo, kind: data.kind, input: typed, by: user });
  switch (outcome.kind) {
    case "recorded": {
      const held = outcome.plan.followUps[outcome.plan.followUps.length - 1]!;
      return show(deps, read.turn, outcome.plan, { text: PLAN_TEXT.followUpRecorded(held.kind, isoDateText(held.date)), tone: "good" });
    }
    case "invalid":
      return planFollowUpCard(outcome.plan, typed, { errors: outcome.errors, banner: PLAN_TEXT.formNotSaved });
    case "no-follow-up":
      return show(deps, read.turn, outcome.plan, { text: PLAN_TEXT.noFollowUp, tone: "attention" });
    case "already-recorded":
      return show(deps, read.turn, outcome.plan, { text: PLAN_TEXT.followUpAlreadyRecorded, tone: "neutral" });
    case "not-allowed-now":
      return show(deps, read.turn, outcome.plan, { text: notNow(outcome.plan), tone: "attention" });
    case "not-allowed":
      return PLAN_TEXT.notOwner;
    case "no-plan":
      return PLAN_TEXT.noPlan;
  }
}

/**
 * "Eksportér": the plan as plain Danish text in the chat, for the caseworker to copy into the
 * case system (journalisering, SPEC §5); audited by the use case. The card stays the plan.
 */
export async function exportPlan(ctx: TurnContext, deps: BotDeps, raw: unknown): Promise<CardJson | string> {
  const read = readTurn(ctx, deps, caseRef, raw, PLAN_TEXT.expired);
  if (!read.ok) return read.answer;
  const { municipality, user, data } = read.turn;
  const outcome = await exportPlanUseCase(deps, { municipality, caseNo: data.caseNo, user: user.aadObjectId });
  switch (outcome.kind) {
    case "export": {
      const exported = planExportText(outcome.plan, municipality, deps.timeZone);
      for (const part of messageParts(exported)) await ctx.sendActivity({ type: "message", text: asLines(part), textFormat: "xml" });
      return show(deps, read.turn, outcome.plan, { text: PLAN_TEXT.exported, tone: "good" });
    }
    case "refused":
      return PLAN_TEXT.notOwner;
    case "no-plan":
      return PLAN_TEXT.noPlan;
  }
}

// ─── Shared ───────────────────────────────────────────────────────────────────────

function show(deps: BotDeps, turn: Turn<unknown>, plan: PlanRecord, banner?: PlanBanner): CardJson {
  return planCard(turn.view, plan, { viewer: turn.user.aadObjectId, now: deps.clock.now(), ...(banner ? { banner } : {}) });
}

/**
 * The plan, for one of its owners; every read and refusal audited (SPEC §9). The forum's
 * coordinators may read a plan but not change it: they get it without buttons.
 */
async function ownersPlan(
  deps: BotDeps,
  turn: Turn<unknown>,
  caseNo: number,
  purpose: string,
): Promise<{ plan: PlanRecord } | { answer: CardJson | string }> {
  const outcome = await viewPlan(deps, { municipality: turn.municipality, caseNo, user: turn.user.aadObjectId, purpose });
  switch (outcome.kind) {
    case "shown":
      if (outcome.as === "owner") return { plan: outcome.plan };
      return { answer: show(deps, turn, outcome.plan, { text: PLAN_TEXT.onlyOwnersChange, tone: "attention" }) };
    case "refused":
      return { answer: PLAN_TEXT.notOwner };
    case "no-plan":
      return { answer: PLAN_TEXT.noPlan };
  }
}

/** The other owner's name, for "… har fået besked". */
function other(plan: PlanRecord, user: string): string {
  const id = ownerIds(plan).find((o) => o !== user) ?? "";
  return escapeMarkdown(ownerName(plan, id));
}

function notNow(plan: PlanRecord): string {
  return plan.state === "ended" ? PLAN_TEXT.endedNoChange : PLAN_TEXT.notNow;
}

/** A multi-select's value as the card sends it ("e1,e2"). */
function choices(value: string): string[] {
  return value
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
}

/** The inputs of the plan form, by the field paths the rows are named with. */
function formValuesFrom(data: { effortIds: string[] } & Record<string, unknown>): PlanFormValues {
  const typed = (key: string): string => {
    const value = data[key];
    return typeof value === "string" ? value.slice(0, 20_000) : "";
  };
  const efforts = data.effortIds.map((id, i): EffortFormValues => ({
    id,
    title: typed(`efforts.${i}.title`),
    purpose: typed(`efforts.${i}.purpose`),
    department: typed(`efforts.${i}.department`),
    person: typed(`efforts.${i}.person`),
    from: typed(`efforts.${i}.from`),
    to: typed(`efforts.${i}.to`),
    after: afterIdOf(typed(`efforts.${i}.after`), data.effortIds),
  }));
  return {
    efforts,
    framework: typed("framework"),
    employmentFollowUp: typed("employmentFollowUp"),
    socialFollowUp: typed("socialFollowUp"),
    fixedCaseworker: typed("fixedCaseworker"),
    budgetKr: typed("budgetKr"),
    forumFollowUp: typed("forumFollowUp"),
  };
}

/**
 * The form shows "starts after" as the other effort's number on the form: typed "2" is the
 * second row's effort. Anything else is kept as typed, for the domain to refuse beside the field.
 */
function afterIdOf(typed: string, ids: readonly string[]): string {
  const number = typed.trim();
  if (!/^\d{1,2}$/.test(number)) return number;
  return ids[Number(number) - 1] ?? number;
}

/**
 * The form as the domain's draft. A person typed with the name of exactly one colleague in
 * the municipality's directory is that colleague; anyone else is kept as typed.
 */
function planDraftOf(values: PlanFormValues, municipality: Municipality): PlanDraft {
  return {
    efforts: values.efforts.map((e) => {
      const personId = directoryIdByName(municipality, e.person);
      return {
        id: e.id,
        title: e.title,
        purpose: e.purpose,
        department: e.department,
        personId: personId ?? "",
        personName: personId ? "" : e.person,
        from: e.from,
        to: e.to,
        after: e.after,
      };
    }),
    framework: values.framework,
    employmentFollowUp: values.employmentFollowUp,
    socialFollowUp: values.socialFollowUp,
    fixedCaseworker: values.fixedCaseworker,
    budgetKr: values.budgetKr,
    forumFollowUp: values.forumFollowUp,
  };
}

function directoryIdByName(municipality: Municipality, typed: string): string | undefined {
  const key = (name: string) => name.trim().replace(/\s+/g, " ").toLocaleLowerCase("da");
  const wanted = key(typed);
  if (!wanted) return undefined;
  const matches = Object.entries(municipality.directory).filter(([, name]) => key(name) === wanted);
  return matches.length === 1 ? matches[0]![0] : undefined;
}

/**
 * Plain text as a Teams message that keeps its lines: Teams and the Playground render a
 * message's text as markdown, which joins single line breaks, so each line ends in a `<br>`
 * and the text itself is escaped, which also keeps user text from forming markup. What the
 * caseworker copies is the plain text, line by line.
 */
function asLines(text: string): string {
  // Bidi controls typed into the plan would turn the rest of the line around: they go too.
  const escape = (line: string) =>
    line
      .replace(/[\u202A-\u202E\u2066-\u2069]/g, "")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;");
  return text
    .replace(/\n$/, "")
    .split("\n")
    .map((line) => escape(line).replace(/^ +/, (spaces) => "&nbsp;".repeat(spaces.length)))
    .join("<br>");
}

/** Splits a long text at line ends into messages Teams accepts. */
function messageParts(text: string): string[] {
  const parts: string[] = [];
  let current = "";
  for (const line of text.split("\n")) {
    if (current && Buffer.byteLength(current + line, "utf8") + 1 > MAX_MESSAGE_BYTES) {
      parts.push(current);
      current = "";
    }
    current += `${line}\n`;
  }
  if (current.trim()) parts.push(current);
  return parts;
}
