import { ActivityTypes, type TurnContext } from "botbuilder";
import { z } from "zod";
import { DirectoryUnavailableError, listRoles, withDirectoryRoles, type RoleHolder, type RoleListing } from "../domain/roles.js";
import type { BotDeps } from "./bot-deps.js";
import { escapeMarkdown } from "./format.js";
import { ROLES_TEXT, TEXT } from "./messages.js";
import { answerActionWithText, readTurn, setTurnMunicipality, tenantOf } from "./turn.js";

const CARD_ACTION = "adaptiveCard/action";
/** Per role in `roller`: enough to check a group's effect, short enough for one Teams message. */
const HOLDERS_SHOWN = 40;

/**
 * Before every message and card action (the Application's `beforeTurn`): the municipality
 * with its role lists as Entra ID has them now, for `readTurn` to hand to the handler, so
 * every role check in the domain stays synchronous. When the directory cannot be asked,
 * nobody's role can be known: the turn is refused with a Danish answer — the invoke's
 * answer text for a card action, a reply for a message — nothing changes, and it is
 * logged without personal data. Returns false to end the turn there.
 */
export async function resolveTurnRoles(ctx: TurnContext, deps: BotDeps): Promise<boolean> {
  const activity = ctx.activity;
  const acts = activity.type === ActivityTypes.Message || (activity.type === ActivityTypes.Invoke && activity.name === CARD_ACTION);
  if (!acts || !deps.directory) return true;
  const configured = deps.municipalities.get(tenantOf(ctx) ?? "");
  if (!configured) return true; // readTurn answers an unknown tenant
  try {
    setTurnMunicipality(ctx, await withDirectoryRoles(deps, configured));
    return true;
  } catch (error) {
    if (!(error instanceof DirectoryUnavailableError)) throw error;
    deps.logger.error(
      { tenant: configured.tenantId, code: error.code, reason: error.message, activityType: activity.type },
      "roles could not be checked: the turn was refused and nothing changed",
    );
    await refuse(ctx, ROLES_TEXT.unavailable);
    return false;
  }
}

/** Answers a card action with a text (as `actionExecute` does for a string), or replies to a message. */
async function refuse(ctx: TurnContext, text: string): Promise<void> {
  if (ctx.activity.type !== ActivityTypes.Invoke) return void (await ctx.sendActivity(text));
  await answerActionWithText(ctx, text);
}

/**
 * `roller` (administrators, personal chat or channel): who holds each role now, by name,
 * and through which of the configured groups; coordinators per forum. Entries Entra ID
 * does not know are named, so the administrator can correct the configuration.
 */
export async function showRoles(ctx: TurnContext, deps: BotDeps): Promise<void> {
  const read = readTurn(ctx, deps, z.object({}), {}, TEXT.unknownTenant);
  if (!read.ok) return void (await ctx.sendActivity(read.answer));
  const { municipality, user } = read.turn;
  // The role lists as written; the turn's municipality has them resolved to object ids.
  const configured = deps.municipalities.get(municipality.tenantId) ?? municipality;
  let outcome: Awaited<ReturnType<typeof listRoles>>;
  try {
    outcome = await listRoles(deps, { municipality: configured, user: user.aadObjectId });
  } catch (error) {
    if (!(error instanceof DirectoryUnavailableError)) throw error;
    deps.logger.error({ tenant: configured.tenantId, code: error.code, reason: error.message }, "roles could not be listed");
    return void (await ctx.sendActivity(ROLES_TEXT.unavailable));
  }
  if (outcome.kind === "not-administrator") return void (await ctx.sendActivity(ROLES_TEXT.onlyAdministrators));
  await ctx.sendActivity(rolesText(configured.name, outcome.listings));
}

/**
 * One paragraph per role: a heading, its holders as a list, its groups and unknown entries.
 * Names from the directory are escaped; forum and municipality names are configuration.
 */
export function rolesText(municipalityName: string, listings: RoleListing[]): string {
  const sections = listings.map((listing) => {
    const heading = `**${listing.forum ? ROLES_TEXT.role.coordinators(listing.forum.name) : ROLES_TEXT.role[listing.role]}**`;
    const lines = listing.holders.slice(0, HOLDERS_SHOWN).map((h) => `- ${holderText(h)}`);
    if (listing.holders.length > HOLDERS_SHOWN) lines.push(`- ${ROLES_TEXT.more(listing.holders.length - HOLDERS_SHOWN)}`);
    const notes: string[] = [];
    if (listing.groups.length > 0) {
      notes.push(ROLES_TEXT.groups(listing.groups.map((g) => ROLES_TEXT.group(escapeMarkdown(g.name ?? g.id), g.members)).join(", ")));
    }
    if (listing.unknown.length > 0) notes.push(ROLES_TEXT.unknown(listing.unknown.map(escapeMarkdown).join(", ")));
    return [heading, lines.length > 0 ? lines.join("\n") : ROLES_TEXT.nobody, ...notes].join("\n\n");
  });
  return [ROLES_TEXT.heading(municipalityName), ...sections].join("\n\n");
}

function holderText(holder: RoleHolder): string {
  const how = [...(holder.direct ? [ROLES_TEXT.direct] : []), ...(holder.via.length > 0 ? [ROLES_TEXT.via(holder.via.join(", "))] : [])];
  return `${escapeMarkdown(holder.name ?? `${ROLES_TEXT.unnamed} ${holder.id}`)} (${escapeMarkdown(how.join("; "))})`;
}
