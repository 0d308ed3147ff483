import type { TurnContext } from "botbuilder";
import { z } from "zod";
import { answerAccessRequest, type AccessLogEntry } from "../domain/access-request.js";
import { caseReference } from "../domain/case.js";
import { maskCpr } from "../domain/cpr.js";
import { displayName, type Municipality } from "../domain/municipality.js";
import { RETENTION_ACTOR } from "../domain/retention.js";
import { DirectoryUnavailableError } from "../domain/roles.js";
import type { BotDeps } from "./bot-deps.js";
import { escapeMarkdown, shortDateTimeText } from "./format.js";
import { fieldErrorText, PRIVACY_TEXT, TEXT } from "./messages.js";
import { isPersonalChat, readTurn } from "./turn.js";

const accessCommand = z.object({ text: z.string().max(500) });

/** A Teams message stays well below its ~28 KB limit; a longer report continues in the next message. */
const MAX_MESSAGE_CHARS = 20_000;

/**
 * `indsigt <CPR>` (administrators, personal chat): a citizen's access request (GDPR art. 15)
 * answered as plain Danish text — every logged access to the data Sparring still holds
 * about the citizen: when, who, what and why. Audited beside the citizen.
 */
export async function sendAccessReport(ctx: TurnContext, deps: BotDeps): Promise<void> {
  const read = readTurn(ctx, deps, accessCommand, { text: ctx.activity.text ?? "" }, TEXT.unknownTenant);
  if (!read.ok) return void (await ctx.sendActivity(read.answer));
  // A CPR number is never answered in a channel (SPEC §9: masked in channels).
  if (!isPersonalChat(ctx)) return void (await ctx.sendActivity(PRIVACY_TEXT.accessPersonalChatOnly));
  const { municipality, user, data } = read.turn;
  const typed = data.text.replace(/^\s*indsigt\b/i, "");
  const outcome = await answerAccessRequest(deps, { municipality, user: user.aadObjectId, typed });
  switch (outcome.kind) {
    case "not-administrator":
      return void (await ctx.sendActivity(PRIVACY_TEXT.accessOnlyAdministrators));
    case "invalid-cpr":
      return void (await ctx.sendActivity(PRIVACY_TEXT.accessInvalidCpr(fieldErrorText(outcome.error, municipality.minimumAge))));
    case "report": {
      deps.logger.info({ tenant: municipality.tenantId, by: user.aadObjectId, rows: outcome.entries.length }, "access request answered");
      const names = await actorNames(deps, municipality, outcome.entries);
      for (const text of accessReportTexts(deps.timeZone, outcome, names)) await ctx.sendActivity(text);
    }
  }
}

/**
 * Who each acting user is, by name: the configuration's directory, else the name Entra ID
 * gives (Microsoft Graph, when configured). If the directory cannot be asked the report
 * still goes out, with object ids where no name is configured.
 */
async function actorNames(deps: BotDeps, municipality: Municipality, entries: AccessLogEntry[]): Promise<ReadonlyMap<string, string>> {
  const names = new Map<string, string>();
  const unnamed = [...new Set(entries.map((e) => e.user))].filter((id) => {
    const configured = displayName(municipality, id);
    if (configured) names.set(id, configured);
    return !configured && id !== RETENTION_ACTOR && id !== SYSTEM_ACTOR && id !== "";
  });
  if (unnamed.length === 0 || !deps.directory) return names;
  try {
    const found = await deps.directory.resolve(municipality.tenantId, unnamed);
    for (const [id, entry] of found) if (entry.kind === "user" && entry.name) names.set(id, entry.name);
  } catch (error) {
    if (!(error instanceof DirectoryUnavailableError)) throw error;
    deps.logger.warn({ tenant: municipality.tenantId, code: error.code }, "access request: names could not be looked up; object ids shown");
  }
  return names;
}

/**
 * The report as Danish text: a heading, a summary, one line per logged access, oldest
 * first. Normally one message; a report too long for one continues in the next ones.
 */
export function accessReportTexts(
  timeZone: string,
  report: { cprDigits: string; caseNos: number[]; entries: AccessLogEntry[]; auditMonths: number },
  names: ReadonlyMap<string, string> = new Map(),
): string[] {
  const head = [
    PRIVACY_TEXT.accessHeading(maskCpr(report.cprDigits)),
    PRIVACY_TEXT.accessSummary(report.entries.length, report.auditMonths, report.caseNos.map(caseReference).join(", ")),
  ].join("\n\n");
  const lines = report.entries.map((e) =>
    PRIVACY_TEXT.accessLine(
      shortDateTimeText(e.at, timeZone),
      escapeMarkdown(actorName(names, e.user)),
      PRIVACY_TEXT.accessAction[e.action] ?? e.action,
      e.caseNo === undefined ? PRIVACY_TEXT.accessAtCitizen : caseReference(e.caseNo),
      escapeMarkdown(purposeText(e)),
    ),
  );
  const parts: string[][] = [[]];
  let size = head.length;
  for (const line of lines) {
    if (size + line.length + 1 > MAX_MESSAGE_CHARS && parts[parts.length - 1]!.length > 0) {
      parts.push([]);
      size = 100;
    }
    parts[parts.length - 1]!.push(line);
    size += line.length + 1;
  }
  return parts.map((part, i) => {
    const title = i === 0 ? head : PRIVACY_TEXT.accessContinued(i + 1, parts.length);
    return part.length > 0 ? `${title}\n\n${part.join("\n")}` : title;
  });
}

/** The actor the product's own jobs write in audit rows (plan follow-ups). */
const SYSTEM_ACTOR = "sparring";

/** Who acted: their name, else the object id; the product's own jobs by name. */
function actorName(names: ReadonlyMap<string, string>, user: string): string {
  if (user === RETENTION_ACTOR) return PRIVACY_TEXT.accessRetentionActor;
  if (user === SYSTEM_ACTOR) return PRIVACY_TEXT.accessSystemActor;
  return names.get(user) ?? (user || TEXT.unknownPerson);
}

/** Why, in Danish: the fixed purposes the product writes are translated; a typed or composed one is shown as stored. */
function purposeText(entry: AccessLogEntry): string {
  if (entry.action === "decide" && entry.purpose in TEXT.decisionLabel) {
    return TEXT.decisionLabel[entry.purpose as keyof typeof TEXT.decisionLabel];
  }
  return PRIVACY_TEXT.accessPurpose[entry.purpose] ?? entry.purpose;
}
