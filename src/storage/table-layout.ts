/**
 * Every table and key shape in one place. Every partition key starts with the tenant
 * id, so one deployment can serve many municipalities without their rows meeting.
 *
 * cases      PK `{tenant}|case|{caseNo}`            RK `case`  — the case itself, with `outbox|…`
 *            and `audit|…` rows in the same partition so a change and its notifications
 *            commit in one batch transaction.
 *            PK `{tenant}|case|{caseNo}`            RK `plan`  — the case's joint plan (state, versions,
 *            owners plain; its content sealed), beside the case so a plan change, its `audit|…` row and
 *            its `outbox|…` messages commit in one batch transaction.
 *            PK `{tenant}|meeting|{forumId}|{date}` RK `meeting` — cancelled, agenda published, rolled over
 *                                                   RK `slot|{nn}` — the case booked into slot nn
 * caseindex  PK `{tenant}|counter`                  RK `case`  — last case number (eTag-guarded)
 *                                                   RK `submission|{aadObjectId}|{submissionId}` — one case per
 *            submitted form: created in one batch with the counter's next number, so a form is claimed and
 *            numbered in one round trip and a repeated form uses up no number.
 *            PK `{tenant}|submission|{aadObjectId}` RK `{submissionId}` — where claims were kept before; still
 *            read for forms rendered then (random v4 submission ids), never written.
 *            PK `{tenant}|raisedby|{aadObjectId}`   RK `{inverted caseNo}` — "mine sager", newest first: the case's
 *            summary (the columns the list shows, CPR sealed, `version`), so the list is one query. Written with
 *            the case when it is raised and after every change of it (raise, decide, move, withdraw, hand-over,
 *            anonymisation: all in `TableCaseRepository`), conditional on the row so a newer version wins.
 *            A row with only `caseNo` was written before summaries: the list reads that case and fills it in.
 *                                                   RK `!pending|{inverted caseNo}|{token}` — a change of the case
 *            in flight: written before the change commits (in each caseworker's partition it touches), removed
 *            in one batch with the summary write after it. While one is there (or after a crash), the list
 *            checks the case row instead of trusting the summary, and repairs both after a minute.
 *            PK `{tenant}|plans|{aadObjectId}`      RK `{inverted caseNo}` — `planer`: the plans a caseworker owns
 *            PK `{tenant}|plan-followup|{date}`     RK `{caseNo}|{kind}` — plans with a follow-up on that
 *            date: one partition per day for the reminder job. Written before the plan change, removed
 *            after it, so a crash leaves an extra row (the job checks the plan), never a missing one.
 *            PK `{tenant}|citizen|{citizenId}`      — one partition per citizen (SPEC §7), `citizenId` being
 *            the keyed hash of the CPR number (`cprLookupKey`), so the number is never in a key:
 *                                                   RK `citizen` — the CPR number (sealed)
 *                                                   RK `follower|{aadObjectId}` — an employment caseworker following
 *                                                   RK `case|{caseNo, 10 digits}` — a case raised about the citizen and
 *                                                   its raising caseworker (kept in step on sagsbehandlerskift)
 *                                                   RK `bostotte|{decisionId}` — a bostøtte decision (CPR and text sealed)
 *            plus its `outbox|…` and `audit|…` rows: "who is linked" is one range query (`case|` … `follower|`),
 *            and a decision commits with its messages and audit row in one batch transaction. Citizen
 *            partitions live in this table because the outbox dispatcher loads messages from it.
 * caseindex  PK `{tenant}|following|{aadObjectId}`  RK `{citizenId}` — `følger`: the citizens a caseworker follows
 *            (CPR sealed). Written after the follower row, removed after it, so it never lists a following
 *            that does not exist for longer than a cut-off write (following again repairs it).
 *            PK `{tenant}|birthday|{MMDD}`          RK `{citizenId}` — citizens with a linked case born on that day
 *            (CPR sealed): the målgruppeskift job reads one partition per day (and `0229` on 1 March of a
 *            non-leap year). Written by `linkCase`; an index only, the job checks the cases.
 *            PK `{tenant}|bostotte|{decisionId}`    RK `event` — claims a bostøtte event id once per tenant: the
 *            citizen it is about and its content fingerprint (HMAC), to tell a repeat from a conflict;
 *            also how a decision id finds its citizen partition ("Vis detaljer").
 * caseindex  PK `{tenant}|events|{YYYY-MM}`       RK `{ISO instant}|{eventId}` — the managers' overview events
 *            (SPEC §8), one partition per tenant and (UTC) month, row keys by time: a period is one range
 *            query per month it touches, whatever else is stored. Counts only, no personal data.
 * caseindex  PK `{tenant}|summaries`               RK `day|{YYYY-MM-DD}` or `month|{YYYY-MM}` — the overview's
 *            summary of a settled UTC day or a whole month (src/domain/overview-summaries.ts), made once from
 *            its events (a month from its days) and replaced whole, never added to: a long period reads a row
 *            per month. Dropped when a late event lands in its span, and made again by the next read.
 * caseindex  PK `{tenant}|retention|{YYYY-MM}`    RK `case|{caseNo, 10 digits}` or `citizen|{citizenId}` — the
 *            retention index (SPEC §9, src/domain/retention.ts): a case that ended (closed, withdrawn, visitated,
 *            its plan ended) or a citizen followed or decided on, noted in the (UTC) month its retention clock may
 *            start, *before* the change commits (the case or plan partition cannot hold it in the same batch), so
 *            a crash leaves an extra row (the job checks the subject and drops it), never a missing one. The job
 *            reads one key range — the months up to now minus the retention period — and moves a row whose clock
 *            started later on to that month, so earlier months empty and nothing else is ever read.
 *            PK `{tenant}|audit|{YYYY-MM}`        RK `case|{caseNo}` or `citizen|{citizenId}` (the source partition
 *            without its tenant) — which partitions got audit rows in that (UTC) month, written before the audit
 *            row: deleting audit rows after their period reads one key range of months, then only those partitions.
 * cases      PK `{tenant}|overview`                 RK `subscriber|{aadObjectId}` — a manager subscribed to the
 *            scheduled overview, plus the `outbox|…` rows of the overviews sent (committed once each).
 * outbox     PK `{tenant}|pending`                  RK `{messageId}` — pointer to an `outbox|…` row waiting to be sent
 *            PK `{tenant}|parked`                   RK `{messageId}` — a message Teams refused for good (parked, counted)
 * leases     PK `global|lease`                      RK `{job}` — which instance runs a scheduled job now
 * addresses  PK `{tenant}|forum`                    RK `{forumId}` — the channel a forum posts to
 *            PK `{tenant}|personal`                 RK `{aadObjectId}` — a user's personal chat with the bot
 */
export const TABLES = {
  cases: "cases",
  caseIndex: "caseindex",
  addresses: "addresses",
  outbox: "outbox",
  leases: "leases",
} as const;

/** Pending changes in a caseworker's `raisedby` partition; `!` sorts before the summary rows' digits. */
export const PENDING_ROW_PREFIX = "!pending|";

/** Row key prefixes of the rows that live beside a case or meeting row in its partition. */
export const ROW_PREFIX = {
  audit: "audit|",
  outbox: "outbox|",
  slot: "slot|",
  follower: "follower|",
  caseLink: "case|",
  bostotte: "bostotte|",
} as const;

/** OData filter for the rows of one partition whose row key starts with `prefix` (`|` sorts just below `}`). */
export function rowsWithPrefix(partitionKey: string, prefix: string): string {
  const upper = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
  return `PartitionKey eq '${partitionKey.replace(/'/g, "''")}' and RowKey ge '${prefix}' and RowKey lt '${upper}'`;
}

export const CASE_ROW = "case";
export const COUNTER_ROW = "case";
export const MEETING_ROW = "meeting";
export const PLAN_ROW = "plan";
export const CITIZEN_ROW = "citizen";
export const BOSTOTTE_EVENT_ROW = "event";

export const keys = {
  casePartition: (tenantId: string, caseNo: number) => `${tenantId}|case|${caseNo}`,
  meetingPartition: (tenantId: string, forumId: string, date: string) => `${tenantId}|meeting|${forumId}|${date}`,
  slotRow: (slot: number) => `${ROW_PREFIX.slot}${String(slot).padStart(2, "0")}`,
  counterPartition: (tenantId: string) => `${tenantId}|counter`,
  submissionPartition: (tenantId: string, aadObjectId: string) => `${tenantId}|submission|${aadObjectId}`,
  raisedByPartition: (tenantId: string, aadObjectId: string) => `${tenantId}|raisedby|${aadObjectId}`,
  /** A form's claim, beside the counter (see above). */
  submissionRow: (aadObjectId: string, submissionId: string) => `submission|${aadObjectId}|${submissionId}`,
  /** A change of the case in flight, beside a caseworker's summary rows; sorts before them. */
  pendingRow: (caseNo: number, token: string) => `${PENDING_ROW_PREFIX}${keys.invertedCaseNo(caseNo)}|${token}`,
  /** Row keys sort ascending, so the newest case gets the smallest key. */
  outboxPartition: (tenantId: string) => `${tenantId}|pending`,
  /** Messages Teams refused for good (403/404), one row each, for `status` and the digest: counts only. */
  parkedPartition: (tenantId: string) => `${tenantId}|parked`,
  forumChannelPartition: (tenantId: string) => `${tenantId}|forum`,
  personalChatPartition: (tenantId: string) => `${tenantId}|personal`,
  /** Scheduled jobs' leases are global: a job runs for every tenant at once. */
  leasePartition: "global|lease",
  invertedCaseNo: (caseNo: number) => String(9_999_999_999 - caseNo).padStart(10, "0"),
  plansOwnedPartition: (tenantId: string, aadObjectId: string) => `${tenantId}|plans|${aadObjectId}`,
  planFollowUpPartition: (tenantId: string, date: string) => `${tenantId}|plan-followup|${date}`,
  planFollowUpRow: (caseNo: number, kind: string) => `${String(caseNo).padStart(10, "0")}|${kind}`,
  citizenPartition: (tenantId: string, citizenId: string) => `${tenantId}|citizen|${citizenId}`,
  followerRow: (aadObjectId: string) => `${ROW_PREFIX.follower}${aadObjectId}`,
  caseLinkRow: (caseNo: number) => `${ROW_PREFIX.caseLink}${String(caseNo).padStart(10, "0")}`,
  bostotteRow: (decisionId: string) => `${ROW_PREFIX.bostotte}${decisionId}`,
  followingPartition: (tenantId: string, aadObjectId: string) => `${tenantId}|following|${aadObjectId}`,
  birthdayPartition: (tenantId: string, monthDay: string) => `${tenantId}|birthday|${monthDay}`,
  bostotteEventPartition: (tenantId: string, decisionId: string) => `${tenantId}|bostotte|${decisionId}`,
  /** `month` is `YYYY-MM` (UTC). */
  overviewEventPartition: (tenantId: string, month: string) => `${tenantId}|events|${month}`,
  overviewEventRow: (at: string, eventId: string) => `${at}|${eventId}`,
  overviewSummaryPartition: (tenantId: string) => `${tenantId}|summaries`,
  /** A UTC day `YYYY-MM-DD` or month `YYYY-MM`; the prefixes keep a run of days from reading months and back. */
  overviewSummaryRow: (span: string) => (span.length === 7 ? `month|${span}` : `day|${span}`),
  overviewPartition: (tenantId: string) => `${tenantId}|overview`,
  overviewSubscriberRow: (aadObjectId: string) => `subscriber|${aadObjectId}`,
  /** `month` is `YYYY-MM` (UTC): the month a subject's retention clock may start. */
  retentionPartition: (tenantId: string, month: string) => `${tenantId}|retention|${month}`,
  retentionCaseRow: (caseNo: number) => `case|${String(caseNo).padStart(10, "0")}`,
  retentionCitizenRow: (citizenId: string) => `citizen|${citizenId}`,
  /** `month` is `YYYY-MM` (UTC): which partitions got audit rows that month. */
  auditMonthPartition: (tenantId: string, month: string) => `${tenantId}|audit|${month}`,
};

/** Characters Table Storage forbids in keys, plus control characters. */
const FORBIDDEN_KEY_CHARS = /[/\\#?\u0000-\u001f\u007f-\u009f]/;

export function assertSafeKeyPart(value: string, what: string): string {
  if (value.length === 0 || value.length > 256 || FORBIDDEN_KEY_CHARS.test(value) || value.includes("|")) {
    throw new Error(`Invalid ${what} for a table key`);
  }
  return value;
}
