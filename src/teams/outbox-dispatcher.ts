import type { Activity, ConversationReference, TurnContext } from "botbuilder";
import { nextAttemptDelayMs, ORPHAN_GRACE_MS, type NotificationTarget } from "../domain/notification.js";
import type { Clock, Outbox, OutboxMessage, OutboxPointer } from "../domain/ports.js";
import type { Logger } from "../logger.js";
import { connectorStatusOf, isPermanentRefusal, retryAfterSeconds } from "./connector-errors.js";

export interface RenderedNotification {
  activity: Partial<Activity>;
  /** Builds the activity inside the conversation's turn (e.g. to look up who to @mention). */
  compose?: (ctx: TurnContext) => Promise<Partial<Activity>>;
  /** Edit this earlier message instead of posting a new one (the card in the channel). */
  updateActivityId?: string;
}

export interface OutboxDispatcherDeps {
  outbox: Outbox;
  tenants: () => readonly string[];
  resolve(tenantId: string, target: NotificationTarget): Promise<Partial<ConversationReference> | undefined>;
  /** Undefined when there is nothing to send any more (e.g. the case was deleted). */
  render(notification: OutboxMessage): Promise<RenderedNotification | undefined>;
  adapter: {
    continueConversationAsync(
      botAppId: string,
      reference: Partial<ConversationReference>,
      logic: (ctx: TurnContext) => Promise<void>,
    ): Promise<void>;
  };
  /** Empty locally: the Playground accepts anonymous proactive messages. */
  botAppId: string;
  onSent?(notification: OutboxMessage, activityId: string | undefined): Promise<void>;
  clock: Clock;
  logger: Logger;
}

/**
 * How long a claimed message is this instance's. One send can take minutes: the Bot
 * Connector's HTTP client itself retries 429 and 503 up to three times, waiting as long as
 * `Retry-After` says (uncapped), and 5xx with backoff. The lease must outlast that, or a
 * second instance would send the message while the first is still waiting to.
 */
export const LEASE_MS = 5 * 60_000;
/** A send still unanswered after this is given up (and retried later), well inside the lease. */
export const SEND_DEADLINE_MS = 4 * 60_000;
const PER_TENANT_PER_RUN = 40;
/** Teams allows 7 messages per second per conversation; keep well below it. */
const SAME_CONVERSATION_SPACING_MS = 200;
/** A target without a saved conversation (a forum with no channel yet) is asked again after this. */
const NO_ADDRESS_RETRY_MS = 60_000;
/** A pointer whose message is not there yet is usually a change committing right now: look again soon. */
const ORPHAN_RECHECK_MS = 5_000;

export interface DispatchReport {
  sent: number;
  retried: number;
  failed: number;
  dropped: number;
}

/** A message Teams accepted whose "sent" mark could not be written (storage did not answer). */
interface Unrecorded {
  pointer: OutboxPointer;
  message: OutboxMessage;
  sentId: string | undefined;
}

/**
 * Sends what the outbox holds: claims each due message with a lease (so several
 * instances never send the same one at once), renders it, sends it and marks it sent.
 *
 * Delivery is at least once. If an instance dies after Teams accepted a message but before
 * it was marked sent, the lease runs out and another instance sends it again: a duplicate
 * is possible only in that one-round-trip window (and after a send abandoned at
 * {@link SEND_DEADLINE_MS} that Teams did receive); a message is never lost. When only
 * storage failed in that window, the instance keeps the message in memory and marks it
 * sent on its next runs, within the lease, so a storage outage sends nothing twice. One
 * message that cannot be read, rendered or sent never holds up the others.
 */
export class OutboxDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  /** Set by {@link stop}: the run in progress ends after the message it is sending. */
  private stopping = false;
  private readonly lastSendTo = new Map<string, number>();
  /** Sent while storage was not answering; marked sent before anything else is sent. */
  private readonly unrecorded: Unrecorded[] = [];

  constructor(private readonly deps: OutboxDispatcherDeps) {}

  async runOnce(): Promise<DispatchReport> {
    const report: DispatchReport = { sent: 0, retried: 0, failed: 0, dropped: 0 };
    // While storage still does not answer, nothing else could be claimed either: try again next run.
    if (!(await this.recordUnrecorded())) return report;
    const forgetBefore = Date.now() - 10 * SAME_CONVERSATION_SPACING_MS;
    for (const [conversation, at] of this.lastSendTo) if (at < forgetBefore) this.lastSendTo.delete(conversation);
    for (const tenantId of this.deps.tenants()) {
      let due: OutboxPointer[];
      try {
        due = await this.deps.outbox.due(tenantId, this.deps.clock.now(), PER_TENANT_PER_RUN);
      } catch (error) {
        this.deps.logger.error({ err: error, tenantId }, "could not read the outbox; trying again next run");
        continue;
      }
      for (const pointer of due) {
        // Messages not reached stay due (or their claim runs out) for the next instance.
        if (this.stopping) return report;
        const outcome = await this.dispatch(pointer);
        if (outcome) report[outcome]++;
      }
    }
    return report;
  }

  start(intervalMs: number): void {
    const tick = () => {
      this.running = this.runOnce()
        .catch((error: unknown) => this.deps.logger.error({ err: error }, "notification dispatch failed"))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const timer = this.timer;
    this.timer = undefined;
    if (timer) clearTimeout(timer);
    await this.running;
    // A last try, so a restart does not send them again once their lease runs out.
    await this.recordUnrecorded();
  }

  /**
   * Marks sent what Teams accepted while storage was not answering. Its lease keeps other
   * instances from sending it meanwhile; one whose lease has run out may have been sent by
   * another instance since, and marking it is harmless either way (the first mark wins).
   * False when storage still fails.
   */
  private async recordUnrecorded(): Promise<boolean> {
    while (this.unrecorded.length > 0) {
      const entry = this.unrecorded[0]!;
      try {
        await this.record(entry.pointer, entry.message, entry.sentId);
      } catch (error) {
        if (entry.pointer.leaseUntil > this.deps.clock.now().toISOString()) {
          this.deps.logger.warn({ err: error, notification: entry.pointer.id }, "still cannot record a sent notification");
          return false;
        }
        this.deps.logger.error({ err: error, notification: entry.pointer.id }, "could not record a sent notification within its lease");
      }
      this.unrecorded.shift();
    }
    return true;
  }

  private async record(pointer: OutboxPointer, message: OutboxMessage, sentId: string | undefined): Promise<void> {
    await this.deps.outbox.markSent(pointer, message, this.deps.clock.now(), sentId);
    await this.deps.onSent?.(message, sentId);
  }

  private async dispatch(candidate: OutboxPointer): Promise<keyof DispatchReport | undefined> {
    const { outbox, clock, logger } = this.deps;
    const pointer = await outbox.claim(candidate, clock.now(), LEASE_MS).catch((error: unknown) => {
      logger.error({ err: error, notification: candidate.id }, "could not claim a notification");
      return undefined;
    });
    if (!pointer) return undefined; // another instance has it
    const progress: { sent?: Unrecorded } = {};
    try {
      return await this.deliver(pointer, progress);
    } catch (error) {
      if (progress.sent) {
        // Teams has it: marked sent on the next runs, within its lease. Should this instance die first, the lease
        // runs out and it is sent once more (the documented window).
        logger.error({ err: error, notification: pointer.id }, "notification sent, but recording that failed; recording it again next run");
        this.unrecorded.push(progress.sent);
        return "sent";
      }
      const attempt = pointer.attempts + 1;
      logger.error({ err: error, notification: pointer.id, attempt }, "notification could not be prepared; will be retried");
      await outbox.reschedule(pointer, new Date(clock.now().getTime() + nextAttemptDelayMs(attempt))).catch(() => undefined);
      return "retried";
    }
  }

  private async deliver(pointer: OutboxPointer, progress: { sent?: Unrecorded }): Promise<keyof DispatchReport | undefined> {
    const { outbox, clock, logger } = this.deps;
    const message = await outbox.load(pointer);
    if (!message) {
      // Announced but not (yet) committed. Once that is clearly never going to happen, drop
      // it, unless it was announced again meanwhile (then its change may be committing now).
      if (clock.now().getTime() - Date.parse(pointer.announcedAt ?? pointer.createdAt) > ORPHAN_GRACE_MS) {
        return (await outbox.dropOrphan(pointer)) ? "dropped" : undefined;
      }
      await outbox.reschedule(pointer, new Date(clock.now().getTime() + ORPHAN_RECHECK_MS));
      return "retried";
    }
    if (message.state !== "pending") {
      await outbox.drop(pointer);
      return "dropped";
    }
    const reference = await this.deps.resolve(message.tenantId, message.target);
    if (!reference) {
      await outbox.reschedule(pointer, new Date(clock.now().getTime() + NO_ADDRESS_RETRY_MS));
      return "retried";
    }
    const rendered = await this.deps.render(message);
    if (!rendered) {
      await outbox.drop(pointer);
      return "dropped";
    }
    await this.pace(reference.conversation?.id ?? "");
    let sentId: string | undefined;
    try {
      // The adapter's turn-error handler would swallow a failed send, so the failure is carried out by hand.
      let failure: unknown;
      const sending = this.deps.adapter.continueConversationAsync(this.deps.botAppId, reference, async (ctx) => {
        try {
          const activity = rendered.compose ? await rendered.compose(ctx) : rendered.activity;
          if (rendered.updateActivityId) {
            await ctx.updateActivity({ ...activity, id: rendered.updateActivityId });
            sentId = rendered.updateActivityId;
          } else {
            sentId = (await ctx.sendActivity(activity))?.id;
          }
        } catch (error) {
          failure = error;
        }
      });
      await withDeadline(sending, SEND_DEADLINE_MS);
      if (failure !== undefined) throw failure;
    } catch (error) {
      const status = connectorStatusOf(error);
      if (isPermanentRefusal(status)) {
        logger.warn({ status, notification: message.id, kind: message.content.kind }, "notification refused by Teams; not retried");
        await outbox.markFailed(pointer, message, `HTTP ${status}`, clock.now());
        return "failed";
      }
      const retryAfter = retryAfterSeconds(error, clock.now());
      const delay = nextAttemptDelayMs(pointer.attempts + 1, retryAfter);
      // Throttling (429), outages (5xx), timeouts and network errors: try again later.
      logger.warn({ status, retryAfter, attempt: pointer.attempts + 1, notification: message.id }, "notification will be retried");
      await outbox.reschedule(pointer, new Date(clock.now().getTime() + delay));
      return "retried";
    }
    progress.sent = { pointer, message, sentId };
    await this.record(pointer, message, sentId);
    return "sent";
  }

  private async pace(conversationId: string): Promise<void> {
    const last = this.lastSendTo.get(conversationId) ?? 0;
    const wait = last + SAME_CONVERSATION_SPACING_MS - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    this.lastSendTo.set(conversationId, Date.now());
  }
}

/** Rejects when `work` takes longer than `ms`; `work` itself cannot be cancelled and may still finish. */
async function withDeadline(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`No answer from Teams within ${ms} ms`)), ms);
    timer.unref();
  });
  try {
    await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
