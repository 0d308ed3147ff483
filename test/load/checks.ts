import { TableClient } from "@azure/data-tables";
import type { Municipality } from "../../src/domain/municipality.js";
import { scheduleOf } from "../../src/domain/forum-calendar.js";
import { ROW_PREFIX, TABLES } from "../../src/storage/table-layout.js";
import type { Records } from "./agents.js";
import type { ConnectorRequest } from "./connector-stub.js";

/*
 * The invariants, read from what is stored in Azurite, what the stub Bot Connector
 * received and what the users were told. Each check returns its figures and the
 * violations it found; any violation fails the run.
 */

export interface Check {
  name: string;
  figures: string[];
  violations: string[];
  /** Worth knowing, not a broken invariant. */
  notes: string[];
}

type Row = Record<string, unknown> & { partitionKey: string; rowKey: string };

export interface Stored {
  cases: Row[];
  caseIndex: Row[];
  pointers: Row[];
}

export async function readStorage(connectionString: string, tenantId: string): Promise<Stored> {
  const all = async (table: string): Promise<Row[]> => {
    const client = TableClient.fromConnectionString(connectionString, table, { allowInsecureConnection: true });
    const rows: Row[] = [];
    const filter = `PartitionKey ge '${tenantId}|' and PartitionKey lt '${tenantId}}'`;
    for await (const row of client.listEntities<Row>({ queryOptions: { filter } })) rows.push(row as Row);
    return rows;
  };
  const [cases, caseIndex, pointers] = await Promise.all([all(TABLES.cases), all(TABLES.caseIndex), all(TABLES.outbox)]);
  return { cases, caseIndex, pointers };
}

const CASE_PK = /\|case\|(\d+)$/;

/** Every accepted case stored exactly once; nothing the users were told was raised is missing. */
export function casesStoredOnce(stored: Stored, records: Records, municipality: Municipality): Check {
  const check: Check = { name: "every accepted case stored exactly once", figures: [], violations: [], notes: [] };
  const caseRows = new Map<number, Row>();
  for (const row of stored.cases) {
    const match = CASE_PK.exec(row.partitionKey);
    if (match && row.rowKey === "case") caseRows.set(Number(match[1]), row);
  }
  // Where a form's claim is kept: beside the case counter (`submission|{user}|{id}`), or in its own partition (older layout).
  const submissionRows = new Map<string, number>();
  for (const row of stored.caseIndex) {
    if (row.partitionKey === `${municipality.tenantId}|counter` && row.rowKey.startsWith("submission|")) {
      submissionRows.set(row.rowKey.slice("submission|".length), Number(row["caseNo"]));
    } else if (row.partitionKey.startsWith(`${municipality.tenantId}|submission|`)) {
      submissionRows.set(`${row.partitionKey.split("|")[2]}|${row.rowKey}`, Number(row["caseNo"]));
    }
  }
  const submissions = [...records.submissions.values()];
  const accepted = submissions.filter((s) => s.state === "accepted");
  const formOfCase = new Map<number, string>();
  for (const [form, caseNo] of submissionRows) formOfCase.set(caseNo, form);

  for (const s of accepted) {
    if (s.references.size > 1) check.violations.push(`one form was answered with ${[...s.references].join(" and ")}`);
    const reference = [...s.references][0]!;
    const caseNo = Number(reference.slice(3));
    const stored = caseRows.get(caseNo);
    if (!stored) check.violations.push(`${reference} was confirmed to its caseworker but is not stored`);
    else if (stored["raisedBy"] !== s.user.aadObjectId) check.violations.push(`${reference} is stored as raised by someone else`);
    const indexed = submissionRows.get(`${s.user.aadObjectId}|${s.submissionId}`);
    if (indexed !== caseNo) check.violations.push(`${reference}: its form points at case ${indexed ?? "nothing"}`);
  }
  // A stored case that no form points at would be a second case from one form.
  const orphans = [...caseRows.keys()].filter((caseNo) => !formOfCase.has(caseNo));
  if (orphans.length > 0)
    check.violations.push(`${orphans.length} stored case(s) that no form points at: ${orphans.slice(0, 10).join(", ")}`);
  const told = new Set(accepted.map((s) => Number([...s.references][0]!.slice(3))));
  const untold = [...caseRows.keys()].filter((caseNo) => !told.has(caseNo));
  if (untold.length > 0)
    check.notes.push(`${untold.length} case(s) stored whose caseworker never saw the confirmation (the last press got no answer)`);

  const pending = submissions.filter((s) => s.state === "pending");
  check.figures.push(
    `${submissions.length} forms submitted: ${accepted.length} accepted, ` +
      `${submissions.filter((s) => s.state === "no-free-meeting").length} refused (no free meeting), ${pending.length} never answered`,
    `${caseRows.size} cases stored (${[...caseRows.values()].filter((r) => r["acute"] === true).length} acute)`,
    `${submissions.reduce((n, s) => n + s.attempts, 0)} presses of "Send" in all (double clicks and presses again included)`,
  );
  return check;
}

/** No meeting holds more cases than it has slots; every booked case holds its slot. */
export function meetingsWithinCapacity(stored: Stored, municipality: Municipality): Check {
  const check: Check = { name: "no meeting over capacity", figures: [], violations: [], notes: [] };
  const slots = new Map<string, { slot: number; caseNo: number }[]>();
  for (const row of stored.cases) {
    if (!row.partitionKey.includes("|meeting|") || !row.rowKey.startsWith(ROW_PREFIX.slot)) continue;
    const list = slots.get(row.partitionKey) ?? [];
    list.push({ slot: Number(row["slot"]), caseNo: Number(row["caseNo"]) });
    slots.set(row.partitionKey, list);
  }
  const caseRows = new Map<number, Row>();
  for (const row of stored.cases) {
    const match = CASE_PK.exec(row.partitionKey);
    if (match && row.rowKey === "case") caseRows.set(Number(match[1]), row);
  }
  let full = 0;
  let held = 0;
  const slotOfCase = new Map<number, string>();
  for (const [pk, list] of slots) {
    const [, , forumId, date] = pk.split("|");
    const schedule = scheduleOf(municipality, forumId!);
    const capacity = schedule ? Math.floor(schedule.durationMinutes / schedule.slotMinutes) : 0;
    if (list.length > capacity) check.violations.push(`${forumId} ${date}: ${list.length} cases in ${capacity} slots`);
    if (list.some((s) => s.slot < 0 || s.slot >= capacity))
      check.violations.push(`${forumId} ${date}: a slot number outside 0–${capacity - 1}`);
    if (list.length === capacity) full++;
    held += list.length;
    for (const { slot, caseNo } of list) {
      const where = `${forumId}:${date}#${slot}`;
      const before = slotOfCase.get(caseNo);
      if (before) check.violations.push(`case ${caseNo} holds two slots: ${before} and ${where}`);
      slotOfCase.set(caseNo, where);
    }
  }
  let leaked = 0;
  for (const [caseNo, where] of slotOfCase) {
    const row = caseRows.get(caseNo);
    const here = row ? `${row["meetingKey"]}#${row["slot"]}` : undefined;
    if (here !== where) leaked++;
  }
  for (const [caseNo, row] of caseRows) {
    if (row["state"] !== "booked" || row["meetingKey"] === undefined) continue;
    const where = `${row["meetingKey"]}#${row["slot"]}`;
    if (slotOfCase.get(caseNo) !== where) check.violations.push(`case ${caseNo} is booked into ${where}, but that slot does not hold it`);
  }
  check.figures.push(`${slots.size} meetings with bookings, ${full} of them full; ${held} slots held`);
  if (leaked > 0)
    check.notes.push(`${leaked} slot(s) held by a case that is not (or no longer) booked there: capacity lost, never exceeded`);
  return check;
}

/** Of the coordinators racing on a card, one decision wins; a final decision is never made twice. */
export function oneDecisionPerCase(stored: Stored, records: Records): Check {
  const check: Check = { name: "no case with two decisions", figures: [], violations: [], notes: [] };
  const decisionsOf = new Map<number, string[]>();
  for (const row of stored.cases) {
    const match = CASE_PK.exec(row.partitionKey);
    if (!match || !row.rowKey.startsWith(ROW_PREFIX.audit)) continue;
    // Udsæt on a booked case is recorded as the move it is.
    const decision = row["action"] === "decide" || (row["action"] === "move" && row["purpose"] === "postponed");
    if (!decision) continue;
    const list = decisionsOf.get(Number(match[1])) ?? [];
    list.push(`${row["at"]}|${row["action"] === "move" ? "postpone" : row["purpose"]}`);
    decisionsOf.set(Number(match[1]), list);
  }
  for (const [caseNo, list] of decisionsOf) {
    const kinds = list.sort().map((entry) => entry.split("|")[1]!);
    const finals = kinds.filter((k) => k === "start" || k === "no-basis");
    if (finals.length > 1) check.violations.push(`case ${caseNo} was decided ${finals.length} times: ${kinds.join(", ")}`);
    if (finals.length === 1 && kinds[kinds.length - 1] !== finals[0])
      check.violations.push(`case ${caseNo} was decided again after ${finals[0]}`);
  }
  const won = new Map<string, number>();
  for (const d of records.decisions) {
    if (d.outcome !== "decided") continue;
    const key = `${d.caseNo}@v${d.version}`;
    won.set(key, (won.get(key) ?? 0) + 1);
  }
  for (const [key, count] of won) if (count > 1) check.violations.push(`${count} coordinators were told their decision on case ${key} won`);
  const caseRows = new Map<number, Row>();
  for (const row of stored.cases) {
    const match = CASE_PK.exec(row.partitionKey);
    if (match && row.rowKey === "case") caseRows.set(Number(match[1]), row);
  }
  for (const d of records.decisions) {
    if (d.outcome !== "decided" || (d.decision !== "start" && d.decision !== "no-basis")) continue;
    const row = caseRows.get(d.caseNo);
    if (row?.["decision"] !== d.decision || row["decidedBy"] !== d.by)
      check.violations.push(
        `case ${d.caseNo}: the coordinator was told ${d.decision} won, but storage says ${row?.["decision"]} by another`,
      );
  }
  const byOutcome = new Map<string, number>();
  for (const d of records.decisions) byOutcome.set(d.outcome, (byOutcome.get(d.outcome) ?? 0) + 1);
  check.figures.push(
    `${records.decisions.length} decision presses: ${[...byOutcome].map(([k, n]) => `${n} ${k}`).join(", ")}`,
    `${[...decisionsOf.values()].reduce((n, l) => n + l.length, 0)} decisions recorded on ${decisionsOf.size} cases`,
  );
  return check;
}

/**
 * Every outbox message was delivered, and exactly once — beyond the at-least-once window,
 * which is counted. A message's delivery is matched by the activity id the bot stored when
 * it marked the message sent: the id the stub gave the post, or the card it edited.
 */
export function outboxDeliveredOnce(stored: Stored, requests: ConnectorRequest[], o: { faults: boolean }): Check {
  const check: Check = { name: "every outbox message delivered exactly once", figures: [], violations: [], notes: [] };
  const messages = stored.cases.filter((row) => row.rowKey.startsWith(ROW_PREFIX.outbox));
  const pointers = new Set(stored.pointers.filter((p) => p.partitionKey.endsWith("|pending")).map((p) => p.rowKey));
  const parked = stored.pointers.filter((p) => p.partitionKey.endsWith("|parked"));
  const expected = new Map<string, number>();
  const byState = new Map<string, number>();
  let dropped = 0;
  for (const row of messages) {
    const id = row.rowKey.slice(ROW_PREFIX.outbox.length);
    const state = String(row["state"]);
    byState.set(state, (byState.get(state) ?? 0) + 1);
    const content = JSON.parse(String(row["content"])) as { kind: string; mode?: string };
    if (state === "sent") {
      const sentId = String(row["sentActivityId"] ?? "");
      if (!sentId) check.violations.push(`message ${id} (${content.kind}) is marked sent without the id Teams gave it`);
      expected.set(sentId, (expected.get(sentId) ?? 0) + 1);
    } else if (state === "pending") {
      if (pointers.has(id)) check.violations.push(`message ${id} (${content.kind}) is still waiting to be sent`);
      else if (content.kind === "case-card" && content.mode === "update") dropped++;
      else check.violations.push(`message ${id} (${content.kind}) was dropped without being sent`);
    } else if (state === "failed") {
      check.violations.push(`message ${id} (${content.kind}) was parked as refused by Teams: ${row["failure"]}`);
    }
  }
  const observed = new Map<string, ConnectorRequest[]>();
  let inTurn = 0;
  for (const r of requests) {
    if (r.status >= 300 || (r.method !== "POST" && r.method !== "PUT")) continue;
    const key = r.method === "POST" ? r.assignedId! : r.activityId!;
    if (r.inTurn && !expected.has(key)) {
      inTurn++;
      continue;
    }
    const list = observed.get(key) ?? [];
    list.push(r);
    observed.set(key, list);
  }
  let lost = 0;
  let duplicates = 0;
  const duplicateKinds = new Map<string, number>();
  for (const [key, count] of expected) {
    const seen = observed.get(key)?.length ?? 0;
    if (seen < count) {
      lost += count - seen;
      check.violations.push(`activity ${key}: ${count} message(s) marked sent, ${seen} received by Teams`);
    }
  }
  for (const [key, list] of observed) {
    const extra = list.length - (expected.get(key) ?? 0);
    if (extra <= 0) continue;
    duplicates += extra;
    const where = list[0]!.conversationId.startsWith("19:") ? "channel" : "personal chat";
    const what = `${list[0]!.method === "PUT" ? "card edit" : "post"} in a ${where}`;
    duplicateKinds.set(what, (duplicateKinds.get(what) ?? 0) + extra);
  }
  if (duplicates > 0) {
    const detail = [...duplicateKinds].map(([k, n]) => `${n} ${k}`).join(", ");
    if (o.faults) check.notes.push(`${duplicates} message(s) delivered twice inside the at-least-once window: ${detail}`);
    else check.violations.push(`${duplicates} message(s) delivered twice without any fault: ${detail}`);
  }
  check.figures.push(
    `${messages.length} outbox messages: ${[...byState].map(([k, n]) => `${n} ${k}`).join(", ")}` +
      (dropped ? ` (${dropped} pending card edits dropped: their card was posted with the latest state)` : ""),
    `${[...observed.values()].reduce((n, l) => n + l.length, 0)} outbox deliveries and ${inTurn} in-turn replies received by the stub connector; ` +
      `${lost} lost, ${duplicates} duplicated`,
    `${parked.length} parked`,
  );
  return check;
}

/** Every bostøtte event the endpoint confirmed is stored, under one decision id. */
export function bostotteRecorded(stored: Stored, records: Records, tenantId: string): Check {
  const check: Check = { name: "every confirmed bostøtte decision stored once", figures: [], violations: [], notes: [] };
  const claimed = new Set(
    stored.caseIndex.filter((r) => r.partitionKey.startsWith(`${tenantId}|bostotte|`)).map((r) => r.partitionKey.split("|")[2]!),
  );
  const decisionRows = new Set(
    stored.cases.filter((r) => r.rowKey.startsWith(ROW_PREFIX.bostotte)).map((r) => r.rowKey.slice(ROW_PREFIX.bostotte.length)),
  );
  let confirmed = 0;
  let unanswered = 0;
  for (const event of records.bostotte.values()) {
    if (!event.decisionId) {
      unanswered++;
      continue;
    }
    confirmed++;
    if (!claimed.has(event.decisionId) || !decisionRows.has(event.decisionId))
      check.violations.push(`bostøtte event ${event.eventId} was confirmed but its decision is not stored`);
  }
  if (unanswered > 0) check.notes.push(`${unanswered} event(s) never confirmed (the case system would send them again)`);
  const sent = [...records.bostotte.values()].reduce((n, e) => n + e.answers.length, 0);
  check.figures.push(`${records.bostotte.size} events, ${sent} calls, ${confirmed} confirmed; ${decisionRows.size} decisions stored`);
  return check;
}

/** What the users saw when something was down: a Danish "prøv igen" with their input, never a blank error. */
export function clearAnswers(records: Records, o: { faults: boolean }): Check {
  const check: Check = { name: "users got a clear Danish answer", figures: [], violations: [], notes: [] };
  const kept = records.tryAgain.filter((t) => t.inputKept === true).length;
  const lost = records.tryAgain.filter((t) => t.inputKept === false).length;
  check.figures.push(
    `${records.tryAgain.length} "prøv igen" answers (${kept} forms with every typed field put back, ${lost} without), ` +
      `${records.unclear.length} unclear answers, ${records.unreachable} activities Teams could not deliver (bot process down)`,
  );
  if (lost > 0) check.violations.push(`${lost} "prøv igen" form(s) came back without what the user typed`);
  const byKind = new Map<string, { n: number; example: string }>();
  for (const u of records.unclear) {
    const entry = byKind.get(u.kind) ?? { n: 0, example: `${u.detail} (at ${(u.at / 1000).toFixed(1)} s)` };
    entry.n++;
    byKind.set(u.kind, entry);
  }
  for (const [kind, { n, example }] of byKind) check.violations.push(`${n} unclear answer(s) to ${kind}, e.g. ${example}`);
  if (o.faults && kept === 0) check.notes.push("no form was submitted while storage was down, so input keeping was not exercised");
  if (records.missingInMyCases.length > 0)
    check.violations.push(
      `${records.missingInMyCases.length} "mine sager" answer(s) missed a case confirmed before asking, e.g. ${records.missingInMyCases[0]!.reference}`,
    );
  return check;
}

/** Nothing a user typed about a citizen — CPR numbers, case texts — reaches the bot's log, also when turns fail. */
export function logWithoutPersonalData(log: string, records: Records, caseTexts: readonly string[]): Check {
  const check: Check = { name: "no CPR number or case text in the bot's log", figures: [], violations: [], notes: [] };
  const cprs = new Set<string>();
  for (const s of records.submissions.values()) cprs.add(s.fields["cpr"]!);
  for (const e of records.bostotte.values()) cprs.add(String(e.body["cpr"]));
  let found = 0;
  for (const cpr of cprs) {
    if (log.includes(cpr) || log.includes(cpr.replace("-", ""))) found++;
  }
  if (found > 0) check.violations.push(`${found} of the ${cprs.size} CPR numbers used appear in the bot's log`);
  const texts = caseTexts.filter((t) => log.includes(t));
  if (texts.length > 0) check.violations.push(`case text in the bot's log: "${texts[0]}"`);
  check.figures.push(
    `${log.split("\n").filter(Boolean).length} log lines (warn and above) searched for ${cprs.size} CPR numbers and ${caseTexts.length} case texts`,
  );
  return check;
}

export function pendingPointers(stored: Stored): Row[] {
  return stored.pointers.filter((p) => p.partitionKey.endsWith("|pending"));
}
