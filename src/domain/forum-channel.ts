import { findForum, isAdministrator, type Forum, type Municipality } from "./municipality.js";
import type { AddressBook, Clock } from "./ports.js";

/** The channel a command came from, as the Teams edge read it; `reference` is opaque here. */
export interface ChannelSeen {
  conversationId: string;
  channelName: string;
  reference: string;
}

export type BindForumOutcome =
  | { kind: "bound"; forum: Forum; replaced: boolean }
  | { kind: "not-administrator" }
  | { kind: "unknown-forum"; typed: string; choices: string[] };

/**
 * `@Sparring tilknyt forum unge` (SPEC §1, administrators): from now on the forum's cards
 * and agendas go to this channel. A later binding replaces the earlier one.
 */
export async function bindForum(
  deps: { addresses: AddressBook; clock: Clock },
  command: { municipality: Municipality; user: string; typed: string; channel: ChannelSeen },
): Promise<BindForumOutcome> {
  const { municipality, user, channel } = command;
  if (!isAdministrator(municipality, user)) return { kind: "not-administrator" };
  const forum = findForum(municipality, command.typed);
  if (!forum) return { kind: "unknown-forum", typed: command.typed.trim(), choices: municipality.forums.map((f) => f.id) };
  const previous = await deps.addresses.bindForumChannel(municipality.tenantId, {
    forumId: forum.id,
    conversationId: channel.conversationId,
    channelName: channel.channelName,
    boundBy: user,
    reference: channel.reference,
    savedAt: deps.clock.now().toISOString(),
  });
  return { kind: "bound", forum, replaced: previous !== undefined && previous.conversationId !== channel.conversationId };
}

/** The forum bound to a channel, if any: one point read per forum of the municipality. */
export async function forumOfChannel(
  deps: { addresses: AddressBook },
  municipality: Municipality,
  conversationId: string,
): Promise<Forum | undefined> {
  const bound = await Promise.all(municipality.forums.map((forum) => deps.addresses.forumChannel(municipality.tenantId, forum.id)));
  return municipality.forums.find((_, i) => bound[i]?.conversationId === conversationId);
}

/**
 * Saves where to reach a user later (SPEC §11: proactive messages need a reference saved
 * when the bot is installed or first spoken to). Not saving is not worth failing a turn
 * for: it is saved again on the user's next message.
 */
export async function rememberPersonalChat(
  deps: { addresses: AddressBook; clock: Clock },
  command: { municipality: Municipality; user: string; reference: string },
): Promise<{ kind: "saved" } | { kind: "not-saved"; error: unknown }> {
  try {
    await deps.addresses.savePersonalChat(command.municipality.tenantId, command.user, {
      reference: command.reference,
      savedAt: deps.clock.now().toISOString(),
    });
    return { kind: "saved" };
  } catch (error) {
    return { kind: "not-saved", error };
  }
}
