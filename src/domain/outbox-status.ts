import { isAdministrator, type Municipality } from "./municipality.js";
import type { Outbox, ParkedMessages } from "./ports.js";

/**
 * `status` (administrators): the messages Teams refused for good — a user blocked the bot
 * (403) or the conversation is gone (404). They are parked, not dropped (SPEC §7): this
 * says how many and how old, without any personal data.
 */
export async function outboxStatus(
  deps: { outbox: Pick<Outbox, "parked"> },
  command: { municipality: Municipality; user: string },
): Promise<{ kind: "status"; parked: ParkedMessages } | { kind: "not-administrator" }> {
  if (!isAdministrator(command.municipality, command.user)) return { kind: "not-administrator" };
  return { kind: "status", parked: await deps.outbox.parked(command.municipality.tenantId) };
}
