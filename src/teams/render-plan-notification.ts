import { parseMeetingKey } from "../domain/booking.js";
import type { NotificationContent } from "../domain/notification.js";
import { isFollowUpRecorded, isPlanOwner, type PlanRecord } from "../domain/plan.js";
import type { BotDeps } from "./bot-deps.js";
import type { CardJson } from "./cards.js";
import { caseMeetingText, escapeMarkdown, forumName, isoDateText, type ViewContext } from "./format.js";
import { PLAN_TEXT } from "./messages.js";
import { ownerName, planChangeTexts } from "./views/plan.js";
import { planNoticeCard } from "./views/plan-notice.js";

export type PlanNotification = Extract<NotificationContent, { kind: "plan" }>;

/**
 * A message about a joint plan to one of its owners (SPEC §7), from the plan as it is now:
 * the other owner opened, changed (what) or approved it, both agreed, it became active or
 * ended, a follow-up date came (with the plan's efforts and a button to record it), or the
 * forum follow-up was booked. Each has a button to open the plan. Undefined when the plan
 * is gone or the recipient no longer owns it (a hand-over since).
 */
export async function renderPlanNotification(
  deps: Pick<BotDeps, "plans" | "cases">,
  view: ViewContext,
  tenantId: string,
  to: string,
  content: PlanNotification,
): Promise<CardJson | undefined> {
  const plan = await deps.plans.get(tenantId, content.caseNo);
  if (!plan || !isPlanOwner(plan, to)) return undefined;
  const ref = plan.reference;
  const name = (id: string | undefined) => escapeMarkdown(ownerName(plan, id ?? ""));
  switch (content.event) {
    case "opened":
      return planNoticeCard(plan.caseNo, "opened", PLAN_TEXT.noticeOpened(name(plan.createdBy), ref));
    case "changed":
      if (plan.version !== content.version) return planNoticeCard(plan.caseNo, "changed", PLAN_TEXT.noticeChangedAgain(ref, plan.version));
      return planNoticeCard(
        plan.caseNo,
        "changed",
        PLAN_TEXT.noticeChanged(name(plan.changedBy), ref, plan.version),
        planChangeTexts(plan.changes),
      );
    case "approved": {
      const approval = plan.approvals.find((a) => a.version === content.version && a.aadObjectId !== to);
      const by = approval ? escapeMarkdown(approval.name) : name(Object.values(plan.owners).find((o) => o.aadObjectId !== to)?.aadObjectId);
      return planNoticeCard(plan.caseNo, "approved", PLAN_TEXT.noticeApproved(by, ref, content.version));
    }
    case "agreed":
      return planNoticeCard(plan.caseNo, "agreed", PLAN_TEXT.noticeAgreed(ref, content.version));
    case "active":
      return planNoticeCard(plan.caseNo, "active", PLAN_TEXT.noticeActive(ref));
    case "ended":
      return planNoticeCard(
        plan.caseNo,
        "ended",
        PLAN_TEXT.noticeEnded(ref, plan.ended ? PLAN_TEXT.endReason[plan.ended.reason] : PLAN_TEXT.state.ended),
      );
    case "follow-up-due": {
      const recordable = plan.state !== "ended" && !isFollowUpRecorded(plan, content.followUp, content.date);
      return planNoticeCard(
        plan.caseNo,
        "follow-up-due",
        PLAN_TEXT.noticeFollowUpDue(ref, content.followUp, isoDateText(content.date)),
        effortLines(plan),
        recordable ? content.followUp : undefined,
      );
    }
    case "forum-follow-up-booked": {
      const record = await deps.cases.get(tenantId, plan.caseNo);
      const key = parseMeetingKey(content.meetingKey);
      const meeting = record?.meetingKey
        ? caseMeetingText(view, record)
        : key
          ? `${forumName(view.municipality, key.forumId)} ${isoDateText(key.date)}`
          : content.meetingKey;
      return planNoticeCard(plan.caseNo, "forum-follow-up-booked", PLAN_TEXT.noticeForumBooked(ref, isoDateText(content.date), meeting));
    }
  }
}

/** The plan's efforts, one line each: what, who and when. */
function effortLines(plan: PlanRecord): string[] {
  return (plan.content?.efforts ?? []).map((e, i) =>
    PLAN_TEXT.noticeEffort(
      i + 1,
      escapeMarkdown(e.title),
      PLAN_TEXT.who(escapeMarkdown(e.department), escapeMarkdown(e.performer.name)),
      PLAN_TEXT.period(isoDateText(e.from), isoDateText(e.to)),
    ),
  );
}
