import { receiveBostotteEvent, type ReceiveBostotteOutcome } from "../domain/bostotte-event.js";
import type { BostotteRecord } from "../domain/bostotte.js";
import type { Municipality } from "../domain/municipality.js";
import { DirectoryUnavailableError, withDirectoryRoles } from "../domain/roles.js";
import type { BotDeps } from "./bot-deps.js";
import type { BostotteEventAnswer, BostotteEventRequest, BostotteEvents } from "./bostotte-route.js";

/** How long the case system is asked to wait after a storage outage answered 503. */
const STORAGE_RETRY_AFTER_SECONDS = 10;

/**
 * `POST /api/bostotte/events` after authentication (SPEC §7): the social case system's
 * decision, recorded once per `eventId`. Answers (contract version 1, README):
 * 201 recorded · 200 the same event again (nobody told twice) · 409 the `eventId` was used
 * for a different decision · 400 with a list of field errors · 503 when who is a caseworker
 * cannot be checked in Entra ID right now (nothing recorded; the caller retries), or when
 * storage failed (with Retry-After; the same event again completes it).
 */
export function bostotteEvents(deps: BotDeps): BostotteEvents {
  return async (request: BostotteEventRequest): Promise<BostotteEventAnswer> => {
    const configured = deps.municipalities.get(request.tenantId);
    if (!configured) return { status: 403, body: { error: "tenant not allowed" } };
    // Who is told depends on who is a caseworker now (Entra ID groups): without that, record nothing.
    let municipality: Municipality;
    try {
      municipality = await withDirectoryRoles(deps, configured);
    } catch (error) {
      if (!(error instanceof DirectoryUnavailableError)) throw error;
      deps.logger.error(
        { tenant: configured.tenantId, code: error.code, reason: error.message },
        "bostøtte event refused: roles could not be checked",
      );
      return { status: 503, body: { error: "roles temporarily unavailable; nothing was recorded, try again later" } };
    }
    let outcome: ReceiveBostotteOutcome;
    try {
      outcome = await receiveBostotteEvent(deps, { municipality, callerAppId: request.callerAppId, body: request.body });
    } catch (error) {
      // Storage failed part-way (an outage): recording is idempotent per eventId, so the same event sent again
      // completes what was begun and tells nobody twice. A 500 would not say that trying again is right.
      deps.logger.error({ err: error, tenant: municipality.tenantId }, "bostøtte event could not be recorded now");
      return {
        status: 503,
        headers: { "retry-after": String(STORAGE_RETRY_AFTER_SECONDS) },
        body: { error: "storage temporarily unavailable; send the same event again later" },
      };
    }
    switch (outcome.kind) {
      case "recorded":
        deps.logger.info(
          { tenant: municipality.tenantId, decision: outcome.record.id, caller: request.callerAppId },
          "bostøtte event recorded",
        );
        return { status: 201, body: answerBody("recorded", outcome.record) };
      case "duplicate":
        return { status: 200, body: answerBody("duplicate", outcome.record) };
      case "conflict":
        return {
          status: 409,
          body: {
            error: "conflict",
            message: "eventId was already used for a decision with other content; nothing was changed",
            decisionId: outcome.decisionId,
          },
        };
      case "invalid":
        return { status: 400, body: { error: "invalid", errors: outcome.errors } };
    }
  };
}

/** What the caller learns: the decision's id and how the employment side was told — never who, never the CPR. */
function answerBody(status: "recorded" | "duplicate", record: BostotteRecord) {
  return {
    status,
    decisionId: record.id,
    eventId: record.eventId,
    notified: record.fallbackForumId
      ? { caseworkers: 0, forumChannel: true }
      : { caseworkers: record.notified.length, forumChannel: false },
  };
}
