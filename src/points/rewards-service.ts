/**
 * Rewards members buy with points. Redeeming debits the ledger in the same transaction that
 * records the redemption, under a lock on the reward row so stock limits hold however many
 * redeem at once. A Stripe promotion code is created after that transaction commits (never
 * hold a database transaction open across a network call): if Stripe fails, the points are
 * refunded with a compensating ledger row.
 */
import { randomUUID } from "node:crypto";
import type Stripe from "stripe";
import { formatMoney } from "../commerce/index.js";
import { requireStripe } from "../commerce/index.js";
import { UserFacingError } from "../core/errors.js";
import type { Db } from "../db/database.js";
import { inTransaction, type Tx } from "../db/transaction.js";
import type { CatalogItem, CatalogService, CheckoutService } from "../commerce/index.js";
import type { Redemption, Reward } from "../generated/prisma/client.js";
import { points } from "./format.js";
import { InsufficientPoints, type PointsLedger } from "./ledger.js";
import { createPromotionCode, resumePromotionCode } from "./promotion-codes.js";

export type { Redemption, Reward };

export const REWARD_KINDS = ["stripe_promotion", "priority_review", "custom"] as const;
export type RewardKind = (typeof REWARD_KINDS)[number];

export const REWARD_NAME = /^[a-z0-9][a-z0-9-]{1,39}$/;

/** A redemption "issuing" for longer than this was interrupted (a restart mid-way) and is resumed. */
const STUCK_AFTER_MS = 2 * 60_000;

export interface RewardInput {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly cost: number;
  readonly kind: RewardKind;
  /** stripe_promotion: the catalog item's name, and one of percent off or an amount off in its currency's main unit. */
  readonly itemName?: string | undefined;
  readonly percentOff?: number | undefined;
  readonly amountOff?: number | undefined;
  readonly stock?: number | undefined;
}

export interface Redeemed {
  readonly reward: Reward;
  readonly redemption: Redemption;
  /** The member's balance afterwards. */
  readonly balance: number;
  /** stripe_promotion: the course the code discounts, and the code (absent when refunded). */
  readonly item?: CatalogItem;
  readonly code?: string;
  /** Stripe could not create the code, so the points were given back. */
  readonly refunded?: { readonly cause: unknown };
  /** An interrupted earlier redemption was completed instead of charging again. */
  readonly resumed?: boolean;
}

/** What a creator and the member are told about a reward: "20% off Async Rust". */
export function offerText(reward: Reward, item: CatalogItem | undefined): string {
  if (reward.kind === "priority_review") return "your next code review goes to the front of the queue";
  if (reward.kind === "custom") return reward.description || "fulfilled by a creator";
  const off = reward.percentOff ? `${reward.percentOff}%` : item ? formatMoney(reward.amountOff ?? 0, item.currency) : `${reward.amountOff}`;
  return `a single-use code for ${off} off ${item?.title ?? "a course"}`;
}

/** "R-1A2B3C4D": how members and creators refer to a redemption. */
export function redemptionRef(id: string): string {
  return `R-${id.slice(0, 8).toUpperCase()}`;
}

/**
 * What rewards need of commerce, asked through its services (commerce owns the catalog and
 * the Stripe customers): the course a code discounts, and the member's Stripe customer so
 * the code is theirs alone.
 */
export interface RewardShop {
  readonly stripe: Stripe | undefined;
  readonly catalog: Pick<CatalogService, "find" | "byIds">;
  readonly checkout: Pick<CheckoutService, "customerId">;
}

export class RewardsService {
  private readonly stripe: Stripe | undefined;

  constructor(
    private readonly db: Db,
    private readonly ledger: PointsLedger,
    private readonly shop: RewardShop,
  ) {
    this.stripe = shop.stripe;
  }

  async add(communityId: string, input: RewardInput): Promise<{ reward: Reward; item?: CatalogItem }> {
    const name = input.name.trim().toLowerCase();
    if (!REWARD_NAME.test(name)) throw new UserFacingError("Reward names are 2 to 40 lowercase letters, digits and dashes, like `rust-discount`.", "reward_name");
    const existing = await this.db.reward.findUnique({ where: { communityId_name: { communityId, name } } });
    if (existing) throw new UserFacingError(`There is already a reward called \`${name}\`${existing.archivedAt ? " (archived)" : ""}. Pick another name.`, "duplicate_reward");
    const stripeOnly = [input.itemName && "item", input.percentOff !== undefined && "percent_off", input.amountOff !== undefined && "amount_off"].filter(Boolean);
    if (input.kind !== "stripe_promotion") {
      if (stripeOnly.length > 0) throw new UserFacingError(`\`${stripeOnly.join("`, `")}\` only apply to Stripe promotion rewards.`, "reward_options");
      const reward = await this.db.reward.create({ data: { communityId, name, title: input.title, description: input.description, cost: input.cost, kind: input.kind, stock: input.stock ?? null } });
      return { reward };
    }
    requireStripe(this.stripe);
    if (!input.itemName) throw new UserFacingError("A Stripe promotion reward needs `item`: the course the code discounts (see /courses).", "reward_item");
    const item = await this.shop.catalog.find(communityId, input.itemName);
    if ((input.percentOff === undefined) === (input.amountOff === undefined)) {
      throw new UserFacingError("Give exactly one of `percent_off` (1 to 100) or `amount_off` (in the course's currency).", "reward_discount");
    }
    const amountOff = input.amountOff === undefined ? null : minorUnits(input.amountOff, item.currency);
    if (amountOff !== null && (amountOff <= 0 || amountOff > item.unitAmount)) {
      throw new UserFacingError(`\`amount_off\` must be more than 0 and at most the price, ${formatMoney(item.unitAmount, item.currency)}.`, "reward_discount");
    }
    const reward = await this.db.reward.create({
      data: { communityId, name, title: input.title, description: input.description, cost: input.cost, kind: input.kind, catalogItemId: item.id, percentOff: input.percentOff ?? null, amountOff, stock: input.stock ?? null },
    });
    return { reward, item };
  }

  /** Rewards with how many are left (null: no limit). */
  async list(communityId: string, opts: { includeArchived?: boolean } = {}): Promise<{ reward: Reward; left: number | null; item?: CatalogItem }[]> {
    const rewards = await this.db.reward.findMany({
      where: { communityId, ...(opts.includeArchived ? {} : { archivedAt: null }) },
      orderBy: [{ archivedAt: { sort: "desc", nulls: "first" } }, { cost: "asc" }, { name: "asc" }],
    });
    const taken = await this.db.redemption.groupBy({ by: ["rewardId"], where: { communityId, status: { not: "refunded" } }, _count: { _all: true } });
    const takenOf = new Map(taken.map((t) => [t.rewardId, t._count._all]));
    const items = await this.shop.catalog.byIds(rewards.flatMap((r) => (r.catalogItemId ? [r.catalogItemId] : [])));
    return rewards.map((reward) => {
      const item = reward.catalogItemId ? items.get(reward.catalogItemId) : undefined;
      return { reward, left: reward.stock === null ? null : Math.max(0, reward.stock - (takenOf.get(reward.id) ?? 0)), ...(item ? { item } : {}) };
    });
  }

  async archive(communityId: string, name: string, now: Date): Promise<Reward> {
    const reward = await this.find(communityId, name);
    return this.db.reward.update({ where: { id: reward.id }, data: { archivedAt: now } });
  }

  /** Names starting with what was typed, for autocomplete. */
  suggest(communityId: string, typed: string): Promise<Reward[]> {
    return this.db.reward.findMany({ where: { communityId, archivedAt: null, name: { startsWith: typed.trim().toLowerCase() } }, orderBy: { name: "asc" }, take: 25 });
  }

  /** A reward on offer by name, or a friendly error naming what is on offer. */
  async find(communityId: string, name: string): Promise<Reward> {
    const reward = await this.db.reward.findUnique({ where: { communityId_name: { communityId, name: name.trim().toLowerCase() } } });
    if (reward && !reward.archivedAt) return reward;
    const names = (await this.db.reward.findMany({ where: { communityId, archivedAt: null }, select: { name: true }, orderBy: { name: "asc" }, take: 25 })).map((r) => `\`${r.name}\``);
    const offer = names.length > 0 ? ` On offer: ${names.join(", ")}.` : " There are no rewards on offer yet.";
    if (reward) throw new UserFacingError(`“${reward.title}” is no longer on offer.${offer}`, "archived_reward");
    throw new UserFacingError(`There is no reward called \`${name}\`.${offer}`, "unknown_reward");
  }

  async redeem(input: { communityId: string; memberId: string; rewardName: string; now: Date }): Promise<Redeemed> {
    const { communityId, memberId, now } = input;
    const reward = await this.find(communityId, input.rewardName);
    let stripe: Stripe | undefined;
    let item: CatalogItem | undefined;
    if (reward.kind === "stripe_promotion") {
      stripe = requireStripe(this.stripe);
      item = reward.catalogItemId ? (await this.shop.catalog.byIds([reward.catalogItemId])).get(reward.catalogItemId) : undefined;
      if (!item || item.archivedAt) throw new UserFacingError(`“${reward.title}” is for a course that is no longer for sale, so it cannot be redeemed right now.`, "reward_item_gone");
      const stuck = await this.db.redemption.findFirst({ where: { memberId, rewardId: reward.id, status: "issuing", createdAt: { lt: new Date(now.getTime() - STUCK_AFTER_MS) } } });
      if (stuck) return { ...(await this.#issue(stripe, reward, item, stuck)), resumed: true };
    }
    const redemption = await this.#debit(reward, memberId, now);
    if (stripe && item) return this.#issue(stripe, reward, item, redemption);
    return { reward, redemption, balance: await this.ledger.balance(communityId, memberId) };
  }

  /** The debit and the redemption, in one transaction, under the reward's lock. */
  async #debit(reward: Reward, memberId: string, now: Date): Promise<Redemption> {
    const { communityId } = reward;
    try {
      return await inTransaction(this.db, async (tx) => {
        const [locked] = await tx.$queryRaw<{ archivedAt: Date | null; stock: number | null }[]>`
          SELECT "archivedAt", "stock" FROM "Reward" WHERE "id" = ${reward.id} FOR UPDATE`;
        if (!locked || locked.archivedAt) throw new UserFacingError(`“${reward.title}” is no longer on offer.`, "archived_reward");
        if (locked.stock !== null) {
          const taken = await tx.redemption.count({ where: { rewardId: reward.id, status: { not: "refunded" } } });
          if (taken >= locked.stock) throw new UserFacingError(`“${reward.title}” is all gone: all ${locked.stock} have been redeemed.`, "reward_sold_out");
        }
        if (reward.kind === "priority_review" && (await unusedPriorityReview(tx, communityId, memberId))) {
          throw new UserFacingError("You already have a priority review waiting: your next /review uses it. Redeem another after that.", "priority_review_waiting");
        }
        const id = randomUUID();
        const key = `redemption:${id}`;
        const { written } = await this.ledger.append(tx, [
          { communityId, memberId, amount: -reward.cost, category: "redemptions", reason: `Redeemed “${reward.title}”`, source: key, idempotencyKey: key, actorId: memberId, requireFunds: true, at: now },
        ]);
        const status = reward.kind === "stripe_promotion" ? "issuing" : reward.kind === "priority_review" ? "issued" : "pending";
        return tx.redemption.create({ data: { id, communityId, rewardId: reward.id, memberId, cost: reward.cost, entryId: written[0]!.id, status, idempotencyKey: key, createdAt: now } });
      });
    } catch (error) {
      if (error instanceof InsufficientPoints) {
        throw new UserFacingError(
          `“${reward.title}” costs ${points(reward.cost)} and you have ${points(error.balance)}. Earn more by answering questions, reviewing code and being thanked.`,
          "insufficient_points",
        );
      }
      throw error;
    }
  }

  /** Creates the code in Stripe, then records it; refunds the points if Stripe fails. */
  async #issue(stripe: Stripe, reward: Reward, item: CatalogItem, redemption: Redemption): Promise<Redeemed> {
    const { communityId, memberId } = redemption;
    let code: string;
    try {
      code = await createPromotionCode(stripe, reward, item, redemption, await this.shop.checkout.customerId(communityId, memberId));
    } catch (cause) {
      await inTransaction(this.db, async (tx) => {
        const claimed = await tx.redemption.updateMany({ where: { id: redemption.id, status: "issuing" }, data: { status: "refunded" } });
        if (claimed.count === 1) await this.ledger.reverseSource(tx, communityId, redemption.idempotencyKey, `Refund: “${reward.title}” could not be issued`);
      });
      const after = await this.db.redemption.findUniqueOrThrow({ where: { id: redemption.id } });
      return { reward, item, redemption: after, balance: await this.ledger.balance(communityId, memberId), refunded: { cause } };
    }
    await this.db.redemption.updateMany({ where: { id: redemption.id, status: "issuing" }, data: { status: "issued", promotionCode: code } });
    const after = await this.db.redemption.findUniqueOrThrow({ where: { id: redemption.id } });
    return { reward, item, redemption: after, code: after.promotionCode ?? code, balance: await this.ledger.balance(communityId, memberId) };
  }

  /**
   * Settles Stripe redemptions a restart left "issuing" (the points were debited, the reply
   * never came): when Stripe holds the redemption's coupon, the redemption is completed with
   * its code (made now if the restart fell between coupon and code); when it does not, nothing
   * reached Stripe and the points go back with a compensating ledger row. Each is claimed by
   * its status, so it is settled once however many processes run this.
   */
  async recoverInterrupted(now: Date): Promise<{ finished: Redemption[]; refunded: Redemption[] }> {
    const finished: Redemption[] = [];
    const refunded: Redemption[] = [];
    if (!this.stripe) return { finished, refunded };
    const stuck = await this.db.redemption.findMany({
      where: { status: "issuing", createdAt: { lt: new Date(now.getTime() - STUCK_AFTER_MS) } },
      orderBy: { createdAt: "asc" },
      take: 100,
    });
    const rewards = new Map((await this.db.reward.findMany({ where: { id: { in: stuck.map((r) => r.rewardId) } } })).map((r) => [r.id, r]));
    for (const redemption of stuck) {
      const { communityId, memberId } = redemption;
      // Stripe failing here (unreachable, key rejected) throws: the job logs it and the next run tries again.
      const code = await resumePromotionCode(this.stripe, redemption, await this.shop.checkout.customerId(communityId, memberId));
      if (code !== undefined) {
        const done = await this.db.redemption.updateMany({ where: { id: redemption.id, status: "issuing" }, data: { status: "issued", promotionCode: code } });
        if (done.count === 1) finished.push(await this.db.redemption.findUniqueOrThrow({ where: { id: redemption.id } }));
        continue;
      }
      const title = rewards.get(redemption.rewardId)?.title ?? "a reward";
      const rolledBack = await inTransaction(this.db, async (tx) => {
        const claimed = await tx.redemption.updateMany({ where: { id: redemption.id, status: "issuing" }, data: { status: "refunded" } });
        if (claimed.count === 1) await this.ledger.reverseSource(tx, communityId, redemption.idempotencyKey, `Refund: “${title}” was interrupted before its code was made`);
        return claimed.count === 1;
      });
      if (rolledBack) refunded.push(await this.db.redemption.findUniqueOrThrow({ where: { id: redemption.id } }));
    }
    return { finished, refunded };
  }

  /** Custom redemptions waiting for a creator, oldest first. */
  async pending(communityId: string): Promise<{ redemption: Redemption; reward: Reward | undefined; memberName: string }[]> {
    const rows = await this.db.redemption.findMany({ where: { communityId, status: "pending" }, orderBy: { createdAt: "asc" }, take: 25 });
    return this.#described(rows);
  }

  /** A creator marks a custom redemption done. */
  async fulfil(input: { communityId: string; ref: string; creatorId: string; note?: string | undefined; now: Date }): Promise<{ redemption: Redemption; reward: Reward | undefined; memberName: string }> {
    const found = await this.#byRef(input.communityId, input.ref);
    if (found.status !== "pending") throw new UserFacingError(`${redemptionRef(found.id)} is ${describeStatus(found)}, so there is nothing to fulfil.`, "redemption_not_pending");
    const done = await this.db.redemption.updateMany({
      where: { id: found.id, status: "pending" },
      data: { status: "fulfilled", fulfilledAt: input.now, fulfilledById: input.creatorId, note: input.note ?? null },
    });
    if (done.count !== 1) throw new UserFacingError(`${redemptionRef(found.id)} was just handled by someone else.`, "redemption_not_pending");
    const [described] = await this.#described([await this.db.redemption.findUniqueOrThrow({ where: { id: found.id } })]);
    return described!;
  }

  /**
   * A creator declines or undoes a redemption that was not used yet (a custom reward they
   * cannot fulfil, an unused priority review): the points go back with a compensating row.
   */
  async refund(input: { communityId: string; ref: string; creatorId: string; note?: string | undefined; now: Date }): Promise<{ redemption: Redemption; reward: Reward | undefined; memberName: string }> {
    const found = await this.#byRef(input.communityId, input.ref);
    const refundable = found.status === "pending" || (found.status === "issued" && !found.promotionCode);
    if (!refundable) {
      const why = found.promotionCode ? "its Stripe code was already sent" : `it is ${describeStatus(found)}`;
      throw new UserFacingError(`${redemptionRef(found.id)} cannot be refunded: ${why}.`, "redemption_not_refundable");
    }
    await inTransaction(this.db, async (tx) => {
      const claimed = await tx.redemption.updateMany({ where: { id: found.id, status: found.status }, data: { status: "refunded", fulfilledById: input.creatorId, note: input.note ?? null } });
      if (claimed.count !== 1) throw new UserFacingError(`${redemptionRef(found.id)} was just handled by someone else.`, "redemption_not_pending");
      await this.ledger.reverseSource(tx, input.communityId, found.idempotencyKey, `Refund of ${redemptionRef(found.id)}${input.note ? `: ${input.note}` : ""}`);
    });
    const [described] = await this.#described([await this.db.redemption.findUniqueOrThrow({ where: { id: found.id } })]);
    return described!;
  }

  /**
   * For code review: uses the member's oldest unused priority-review redemption (marks it
   * fulfilled) in the caller's transaction, or returns undefined when they have none.
   */
  async claimPriorityReview(tx: Tx, communityId: string, memberId: string, now: Date): Promise<Redemption | undefined> {
    const id = await unusedPriorityReview(tx, communityId, memberId);
    if (!id) return undefined;
    return tx.redemption.update({ where: { id }, data: { status: "fulfilled", fulfilledAt: now } });
  }

  /** For code review: how many priority reviews the member has not used yet. */
  async unusedPriorityReviews(communityId: string, memberId: string): Promise<number> {
    const rewards = await this.db.reward.findMany({ where: { communityId, kind: "priority_review" }, select: { id: true } });
    if (rewards.length === 0) return 0;
    return this.db.redemption.count({ where: { communityId, memberId, status: "issued", rewardId: { in: rewards.map((r) => r.id) } } });
  }

  /** For code review: gives a claimed priority review back (the request was cancelled before anyone reviewed it). */
  async releasePriorityReview(tx: Tx, redemptionId: string): Promise<void> {
    await tx.redemption.updateMany({ where: { id: redemptionId, status: "fulfilled" }, data: { status: "issued", fulfilledAt: null } });
  }

  /** The member's own redemptions, newest first. */
  async mine(communityId: string, memberId: string): Promise<{ redemption: Redemption; reward: Reward | undefined }[]> {
    const rows = await this.db.redemption.findMany({ where: { communityId, memberId }, orderBy: { createdAt: "desc" }, take: 10 });
    const rewards = new Map((await this.db.reward.findMany({ where: { id: { in: rows.map((r) => r.rewardId) } } })).map((r) => [r.id, r]));
    return rows.map((redemption) => ({ redemption, reward: rewards.get(redemption.rewardId) }));
  }

  async #byRef(communityId: string, ref: string): Promise<Redemption> {
    const prefix = ref.trim().toLowerCase().replace(/^r-/, "");
    if (!/^[0-9a-f-]{4,36}$/.test(prefix)) throw new UserFacingError(`\`${ref}\` is not a redemption reference: they look like \`R-1A2B3C4D\` (see /reward pending).`, "redemption_ref");
    const rows = await this.db.redemption.findMany({ where: { communityId, id: { startsWith: prefix } }, take: 2 });
    if (rows.length === 0) throw new UserFacingError(`There is no redemption ${redemptionRef(prefix)} here (see /reward pending).`, "unknown_redemption");
    if (rows.length > 1) throw new UserFacingError(`More than one redemption starts with \`${ref}\`: give more of its reference.`, "ambiguous_redemption");
    return rows[0]!;
  }

  async #described(rows: Redemption[]) {
    const rewards = new Map((await this.db.reward.findMany({ where: { id: { in: rows.map((r) => r.rewardId) } } })).map((r) => [r.id, r]));
    const members = new Map((await this.db.member.findMany({ where: { id: { in: rows.map((r) => r.memberId) } }, select: { id: true, displayName: true } })).map((m) => [m.id, m.displayName]));
    return rows.map((redemption) => ({ redemption, reward: rewards.get(redemption.rewardId), memberName: members.get(redemption.memberId) ?? "someone" }));
  }
}

/** The id of the member's oldest priority review not used yet, locked for the caller. */
async function unusedPriorityReview(tx: Tx, communityId: string, memberId: string): Promise<string | undefined> {
  const [row] = await tx.$queryRaw<{ id: string }[]>`
    SELECT x."id" FROM "Redemption" x JOIN "Reward" r ON r."id" = x."rewardId" AND r."kind" = 'priority_review'
    WHERE x."communityId" = ${communityId} AND x."memberId" = ${memberId} AND x."status" = 'issued'
    ORDER BY x."createdAt" LIMIT 1 FOR UPDATE OF x`;
  return row?.id;
}

function describeStatus(r: Redemption): string {
  if (r.status === "fulfilled") return `already fulfilled${r.fulfilledAt ? ` (${r.fulfilledAt.toISOString().slice(0, 10)})` : ""}`;
  if (r.status === "refunded") return "refunded";
  if (r.status === "issued") return "already issued";
  return r.status;
}

/** An amount in a currency's main unit (10.5 euros) in its minor units (1050 cents). */
function minorUnits(amount: number, currency: string): number {
  const digits = new Intl.NumberFormat("en", { style: "currency", currency: currency.toUpperCase() }).resolvedOptions().maximumFractionDigits ?? 2;
  return Math.round(amount * 10 ** digits);
}
