import type { Db } from "../db/database.js";
import type { Logger } from "../log/logger.js";
import type { MemberMessenger } from "../core/member-messenger.js";
import type { CheckoutService } from "./checkout-service.js";

/** A notice the applier asks for once its transaction has committed. */
export interface Notice {
  readonly kind: "payment_failed";
  readonly memberId: string;
  readonly communityId: string;
  /** The invoice that failed: one notice per invoice, however often Stripe tells us. */
  readonly ref: string;
  readonly graceEndsAt: Date | null;
}

/**
 * Tells a member privately that their payment failed, with the billing portal link, on
 * the first platform they can be reached on (core/member-messenger.ts). Each cause is noticed once (a unique row); a
 * member whose direct messages are closed is recorded as such and not retried.
 */
export class BillingNotices {
  constructor(
    private readonly db: Db,
    private readonly checkout: CheckoutService,
    private readonly memberMessenger: MemberMessenger,
    private readonly log: Logger,
  ) {}

  async send(notice: Notice): Promise<void> {
    const claimed = await this.db.memberNotice.createMany({ data: [{ memberId: notice.memberId, kind: notice.kind, ref: notice.ref, status: "sending" }], skipDuplicates: true });
    if (claimed.count === 0) return; // already noticed (another delivery, another process)
    const portal = await this.checkout.portalLink(notice.communityId, notice.memberId).catch(() => undefined);
    const until = notice.graceEndsAt ? ` You keep access until ${notice.graceEndsAt.toISOString().slice(0, 10)} while you update it.` : "";
    const message = {
      text: `Your membership payment did not go through.${until} Update your payment method in the billing portal to keep your access.`,
      ...(portal ? { links: [{ label: "Update payment method", url: portal }] } : {}),
    };
    const outcome = await this.memberMessenger.send(notice.memberId, message);
    // The notice table knows sent, closed and failed; a member no running platform reaches is a failure.
    const status = outcome === "unreachable" ? "failed" : outcome;
    await this.db.memberNotice.update({ where: { kind_ref: { kind: notice.kind, ref: notice.ref } }, data: { status } });
    if (status !== "sent") this.log.info({ member: notice.memberId, status }, "could not deliver a payment-failed notice");
  }
}
