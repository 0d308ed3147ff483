import {
  consentInForce,
  consentCoversPlan,
  sideOf,
  type FollowUpKind,
  type PlanChange,
  type PlanContent,
  type PlanRecord,
} from "../../domain/plan.js";
import { isPlanOpen } from "../../domain/plan-lifecycle.js";
import { isOverdue, workingDaysOf } from "../../domain/plan-follow-ups.js";
import { localIsoDate } from "../../domain/plan-use-cases.js";
import { renderCard, type CardJson } from "../cards.js";
import { escapeMarkdown, isoDateText, kronerText, shortDateTimeText, type ViewContext } from "../format.js";
import { PLAN_TEXT } from "../messages.js";
import { VERBS } from "../verbs.js";

type Fact = { title: string; value: string };
type Line = { text: string; color: string };

export interface PlanCard {
  caseNo: number;
  version: number;
  title: string;
  banner: string;
  bannerColor: string;
  stateText: string;
  stateColor: string;
  stateHint: string;
  facts: Fact[];
  filled: boolean;
  empty: string;
  efforts: { heading: string; purpose: string; facts: Fact[] }[];
  framework: string;
  followUps: Line[];
  approvalsTitle: string;
  approvals: Line[];
  changesTitle: string;
  changes: { text: string }[];
  citizen: Fact[];
  consentLines: { text: string }[];
  canApprove: boolean;
  approveTitle: string;
  canEdit: boolean;
  canConsent: boolean;
  canFollowUp: boolean;
  canRegisterMeetings: boolean;
  canWithdraw: boolean;
  canExport: boolean;
  approvePlan: typeof VERBS.approvePlan;
  showEditPlan: typeof VERBS.showEditPlan;
  showPlanConsent: typeof VERBS.showPlanConsent;
  showPlanFollowUp: typeof VERBS.showPlanFollowUp;
  showPlanMeetings: typeof VERBS.showPlanMeetings;
  showWithdrawPlanConsent: typeof VERBS.showWithdrawPlanConsent;
  exportPlan: typeof VERBS.exportPlan;
}

/** What a card says on top of the plan: the outcome of the button pressed. */
export interface PlanBanner {
  text: string;
  tone: "good" | "attention" | "neutral";
}

const STATE_COLOR = { draft: "Warning", agreed: "Accent", active: "Good", ended: "Default" } as const;
const TONE_COLOR = { good: "Good", attention: "Attention", neutral: "Default" } as const;

/**
 * The whole joint plan as one of its owners reads it (SPEC §5; seed 001 "Borgers plan";
 * seed 002): the efforts with purpose, who, period and order, the framework, the follow-up
 * dates (overdue ones marked), the fixed caseworker and the budget frame; its state,
 * version, both approvals and what changed; the meetings and the citizen's consent. The
 * buttons are the viewer's: what they may do in the plan's state.
 */
export function planCard(view: ViewContext, plan: PlanRecord, o: { viewer: string; now: Date; banner?: PlanBanner }): CardJson {
  const { municipality, timeZone } = view;
  const today = localIsoDate(o.now, timeZone);
  const content = plan.content;
  const side = sideOf(plan, o.viewer);
  const open = isPlanOpen(plan.state);
  const approvedByViewer = plan.approvals.some((a) => a.side === side && a.version === plan.version);
  const consent = consentInForce(plan);
  const followUps = content ? followUpLines(plan, content, today, workingDaysOf(municipality)) : [];
  const unrecordedDue = followUps.some((f) => !f.held && f.date <= today);
  const unrecorded = followUps.some((f) => !f.held);
  const name = (id: string) => escapeMarkdown(ownerName(plan, id));

  return renderCard("plan", {
    caseNo: plan.caseNo,
    version: plan.version,
    title: PLAN_TEXT.title(plan.reference),
    banner: o.banner?.text ?? "",
    bannerColor: TONE_COLOR[o.banner?.tone ?? "neutral"],
    stateText: PLAN_TEXT.stateLine(PLAN_TEXT.state[plan.state], plan.version),
    stateColor: STATE_COLOR[plan.state],
    stateHint: PLAN_TEXT.stateHint[plan.state],
    facts: [
      {
        title: "Sagsbehandlere",
        value: (["employment", "social"] as const)
          .map((s) => PLAN_TEXT.owner(escapeMarkdown(plan.owners[s].name), PLAN_TEXT.side[s]))
          .join(", "),
      },
      ...(content
        ? [
            { title: "Fast sagsbehandler", value: name(content.fixedCaseworker) },
            { title: "Budget-/handleramme", value: content.budgetKr === undefined ? PLAN_TEXT.noBudget : kronerText(content.budgetKr) },
          ]
        : []),
    ],
    filled: content !== undefined,
    empty: PLAN_TEXT.empty,
    efforts: (content?.efforts ?? []).map((effort, i) => ({
      heading: `${i + 1}. ${escapeMarkdown(effort.title)}`,
      purpose: escapeMarkdown(effort.purpose),
      facts: [
        { title: "Hvem", value: PLAN_TEXT.who(escapeMarkdown(effort.department), escapeMarkdown(effort.performer.name)) },
        { title: "Periode", value: PLAN_TEXT.period(isoDateText(effort.from), isoDateText(effort.to)) },
        { title: "Rækkefølge", value: orderText(effort.after, content!) },
      ],
    })),
    framework: escapeMarkdown(content?.framework ?? ""),
    followUps: followUps.map(({ text, color }) => ({ text, color })),
    approvalsTitle: PLAN_TEXT.approvalsTitle(plan.version),
    approvals:
      plan.version === 0
        ? []
        : (["employment", "social"] as const).map((s) => {
            const approval = plan.approvals.find((a) => a.side === s && a.version === plan.version);
            const owner = escapeMarkdown(approval?.name || plan.owners[s].name);
            return approval
              ? { text: PLAN_TEXT.approvedBy(owner, PLAN_TEXT.side[s], shortDateTimeText(approval.at, timeZone)), color: "Good" }
              : { text: PLAN_TEXT.notApprovedBy(owner, PLAN_TEXT.side[s]), color: "Default" };
          }),
    changesTitle: PLAN_TEXT.changesTitle(plan.version, plan.changedBy ? name(plan.changedBy) : ""),
    changes: plan.state === "draft" && plan.version > 1 ? planChangeTexts(plan.changes).map((text) => ({ text })) : [],
    citizen: [
      { title: "Koordineringsmøde", value: dateOr(plan.meetings?.coordinationMeeting) },
      { title: "Fællessamtale", value: dateOr(plan.meetings?.jointConversation) },
      { title: "Samtykke", value: consentSummary(plan) },
    ],
    consentLines: consentLines(plan, timeZone).map((text) => ({ text })),
    canApprove: side !== undefined && plan.state === "draft" && plan.version > 0 && !approvedByViewer,
    approveTitle: PLAN_TEXT.approveButton(plan.version),
    canEdit: side !== undefined && open,
    canConsent: side !== undefined && plan.state === "agreed",
    canFollowUp: side !== undefined && open && unrecorded && (plan.state === "active" || consent !== undefined || unrecordedDue),
    canRegisterMeetings: side !== undefined && open && plan.version > 0,
    canWithdraw: side !== undefined && open && consent !== undefined,
    canExport: side !== undefined,
    approvePlan: VERBS.approvePlan,
    showEditPlan: VERBS.showEditPlan,
    showPlanConsent: VERBS.showPlanConsent,
    showPlanFollowUp: VERBS.showPlanFollowUp,
    showPlanMeetings: VERBS.showPlanMeetings,
    showWithdrawPlanConsent: VERBS.showWithdrawPlanConsent,
    exportPlan: VERBS.exportPlan,
  });
}

/** An owner's name by object id, as the plan knows it. */
export function ownerName(plan: Pick<PlanRecord, "owners">, aadObjectId: string): string {
  return Object.values(plan.owners).find((o) => o.aadObjectId === aadObjectId)?.name ?? "";
}

/** "Efter indsats 1: Mentorforløb" or "Parallelt med de andre". */
export function orderText(after: string | undefined, content: PlanContent): string {
  if (!after) return PLAN_TEXT.parallel;
  const index = content.efforts.findIndex((e) => e.id === after);
  return index < 0 ? PLAN_TEXT.afterUnknown : PLAN_TEXT.after(index + 1, escapeMarkdown(content.efforts[index]!.title));
}

/** What an edit changed, one line each, for the other owner (SPEC §5: both approve again). */
export function planChangeTexts(changes: readonly PlanChange[]): string[] {
  return changes.map((change) => {
    if (change.part !== "effort") return PLAN_TEXT.changePart[change.part];
    const title = escapeMarkdown(change.title);
    if (change.change === "changed")
      return PLAN_TEXT.effortChange.changed(title, change.fields.map((f) => PLAN_TEXT.effortField[f]).join(", "));
    return PLAN_TEXT.effortChange[change.change](title);
  });
}

type FollowUpLine = Line & { kind: FollowUpKind; date: string; held: boolean };

/** Each follow-up date of the plan with what became of it: held (with the note), due, or overdue. */
function followUpLines(plan: PlanRecord, content: PlanContent, today: string, rule: ReturnType<typeof workingDaysOf>): FollowUpLine[] {
  const dates: { kind: FollowUpKind; date: string }[] = [
    { kind: "employment", date: content.employmentFollowUp },
    { kind: "social", date: content.socialFollowUp },
  ];
  if (content.forumFollowUp) dates.push({ kind: "forum", date: content.forumFollowUp });
  const open = isPlanOpen(plan.state);
  return dates.map(({ kind, date }) => {
    const base = PLAN_TEXT.followUpLine(kind, isoDateText(date));
    const held = plan.followUps.find((f) => f.kind === kind && f.date === date);
    if (held)
      return {
        kind,
        date,
        held: true,
        text: base + PLAN_TEXT.followUpHeld(isoDateText(held.heldOn), escapeMarkdown(held.note)),
        color: "Good",
      };
    if (open && isOverdue({ date }, today, rule))
      return { kind, date, held: false, text: base + PLAN_TEXT.followUpOverdue, color: "Attention" };
    if (open && date <= today) return { kind, date, held: false, text: base + PLAN_TEXT.followUpDueNow, color: "Warning" };
    return { kind, date, held: false, text: base, color: "Default" };
  });
}

function dateOr(date: string | undefined): string {
  return date ? isoDateText(date) : PLAN_TEXT.notRegistered;
}

function consentSummary(plan: PlanRecord): string {
  if (plan.consent) {
    return plan.consent.withdrawnOn
      ? PLAN_TEXT.consentWithdrawn(isoDateText(plan.consent.withdrawnOn))
      : PLAN_TEXT.consentGiven(isoDateText(plan.consent.givenOn), plan.consent.version);
  }
  if (plan.refusal) return PLAN_TEXT.refused(isoDateText(plan.refusal.on));
  return PLAN_TEXT.notRegistered;
}

/** The consent's scope, a note, whether it still covers the plan, and how the plan ended. */
function consentLines(plan: PlanRecord, timeZone: string): string[] {
  const lines: string[] = [];
  const consent = plan.consent;
  if (consent) {
    const titles = new Map(plan.content?.efforts.map((e, i) => [e.id, `${i + 1}. ${escapeMarkdown(e.title)}`]));
    lines.push(PLAN_TEXT.consentEfforts(consent.efforts.map((id) => titles.get(id) ?? PLAN_TEXT.afterUnknown).join(", ")));
    lines.push(PLAN_TEXT.consentShared(consent.sharedInformation.map((s) => PLAN_TEXT.sharedInformation[s]).join(", ")));
    if (consent.note) lines.push(escapeMarkdown(consent.note));
    if (consent.withdrawalNote) lines.push(escapeMarkdown(consent.withdrawalNote));
    if (!consent.withdrawnOn && plan.state === "draft" && !consentCoversPlan(plan)) lines.push(PLAN_TEXT.consentNotCovering);
  } else if (plan.refusal?.note) {
    lines.push(escapeMarkdown(plan.refusal.note));
  }
  if (plan.ended) lines.push(PLAN_TEXT.ended(shortDateTimeText(plan.ended.at, timeZone), PLAN_TEXT.endReason[plan.ended.reason]));
  return lines;
}
