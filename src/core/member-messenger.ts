/**
 * "Send this member a private message on whichever platform reaches them": the one place
 * that picks which of a member's accounts to try and in what order. Capabilities ask
 * `services.memberMessenger`; the fan-out queue (jobs/delivery.ts) uses {@link sendToAccounts}
 * with accounts it loaded in bulk.
 *
 * The order, for every private message Guildhall sends:
 * 1. the account on the platform the message is about, when the caller names one (the
 *    question's or review's platform, the platform a command ran on), so the message lands
 *    next to the conversation it follows up;
 * 2. then the member's other accounts, oldest first (the platform they joined from first);
 * the first account whose platform is running and that accepts the message ends the search.
 */
import type { Logger } from "../log/logger.js";
import type { PlatformAccountRef } from "./directory.js";
import type { DirectMessenger, DirectSendOptions, Messengers } from "./platform-services.js";
import type { MessageContent } from "./reply.js";

/** A private message: always has text (platforms show it in notifications and as a fallback). */
export type DirectMessage = MessageContent & { readonly text: string };

/**
 * How a private message to a member ended: "sent"; "closed" when every platform tried says
 * the member does not accept them (retrying will not help); "failed" when a platform failed
 * and a later try may succeed; "unreachable" when no running platform knows the member.
 */
export type MemberMessageOutcome = "sent" | "closed" | "failed" | "unreachable";

/** Options of a private message to a member. */
export interface MemberMessageOptions extends DirectSendOptions {
  /** The platform the message is about, tried first when the member has an account there. */
  readonly prefer?: string | undefined;
}

/** The member's accounts in the documented order: `prefer`'s first, then the rest as given (oldest first). */
export function accountOrder<A extends PlatformAccountRef>(accounts: readonly A[], prefer?: string): A[] {
  if (prefer === undefined) return [...accounts];
  return [...accounts.filter((a) => a.platform === prefer), ...accounts.filter((a) => a.platform !== prefer)];
}

/**
 * Tries `accounts` (oldest first, as the directory lists them) in {@link accountOrder} until
 * one gets the message. A messenger that throws counts as "failed", like one that reports it.
 */
export async function sendToAccounts(
  messengers: Messengers,
  accounts: readonly PlatformAccountRef[],
  message: DirectMessage,
  log: Logger,
  options: MemberMessageOptions = {},
): Promise<MemberMessageOutcome> {
  let outcome: MemberMessageOutcome = "unreachable";
  for (const account of accountOrder(accounts, options.prefer)) {
    const messenger = (messengers as Partial<Record<string, DirectMessenger>>)[account.platform];
    if (!messenger) continue;
    // Out of time: the caller decides what a message that may or may not have gone means.
    if (options.signal?.aborted) return outcome === "unreachable" ? "failed" : outcome;
    let result: "sent" | "closed" | "failed";
    try {
      const { idempotencyKey, signal, beforeDelivery } = options;
      // A messenger that cannot run the step at the wire gets it run here, before it is asked.
      if (beforeDelivery && !messenger.callsBeforeDelivery && !(await beforeDelivery())) return "failed";
      const asks = beforeDelivery && messenger.callsBeforeDelivery ? { beforeDelivery } : {};
      result = await messenger.send(account.externalId, message, { ...(idempotencyKey === undefined ? {} : { idempotencyKey }), ...(signal ? { signal } : {}), ...asks });
    } catch (error) {
      log.warn({ err: error, platform: account.platform }, "a direct messenger threw instead of reporting a failure");
      result = "failed";
    }
    if (result === "sent") return result;
    // A failure may pass on a later try; "closed" stands only when every platform said so.
    if (outcome !== "failed") outcome = result;
  }
  return outcome;
}

/** Private messages to members by member id, on whichever running platform reaches them. */
export class MemberMessenger {
  constructor(
    private readonly messengers: Messengers,
    /** The member's accounts, oldest first (services.directory.accountsOf). */
    private readonly accountsOf: (memberId: string) => Promise<readonly PlatformAccountRef[]>,
    private readonly log: Logger,
  ) {}

  /** Sends `message` to the member; see the module comment for which account gets it. */
  async send(memberId: string, message: DirectMessage, options: MemberMessageOptions = {}): Promise<MemberMessageOutcome> {
    const accounts = await this.accountsOf(memberId);
    const outcome = await sendToAccounts(this.messengers, accounts, message, this.log, options);
    if (outcome === "unreachable") this.log.info({ member: memberId }, "no running platform can reach this member for a direct message");
    return outcome;
  }
}
