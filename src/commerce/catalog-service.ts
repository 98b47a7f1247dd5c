import type Stripe from "stripe";
import { UserFacingError } from "../core/errors.js";
import type { Db } from "../db/database.js";
import type { CatalogItem } from "../generated/prisma/client.js";
import { isMissing, requireStripe } from "./stripe-errors.js";
import { idOf } from "./stripe-objects.js";

export type { CatalogItem };

export interface ItemInput {
  readonly title: string;
  readonly description: string;
  readonly priceId: string;
  readonly discordRoleIds: readonly string[];
  readonly slackChannelIds: readonly string[];
}

/**
 * The courses and tiers a community sells. The price, currency and billing interval are
 * always read from Stripe, so the catalog can never disagree with what Stripe charges.
 */
export class CatalogService {
  constructor(
    private readonly db: Db,
    private readonly stripe: Stripe | undefined,
  ) {}

  async add(communityId: string, name: string, input: ItemInput): Promise<CatalogItem> {
    const existing = await this.db.catalogItem.findUnique({ where: { communityId_name: { communityId, name } } });
    if (existing) throw new UserFacingError(`There is already an item called “${name}”. Use /catalog edit to change it.`, "duplicate_item");
    const price = await this.#price(input.priceId);
    return this.db.catalogItem.create({
      data: { communityId, name, title: input.title, description: input.description, ...price, discordRoleIds: [...input.discordRoleIds], slackChannelIds: [...input.slackChannelIds] },
    });
  }

  async edit(communityId: string, name: string, changes: Partial<ItemInput>): Promise<CatalogItem> {
    const item = await this.find(communityId, name, { includeArchived: true });
    const price = changes.priceId && changes.priceId !== item.stripePriceId ? await this.#price(changes.priceId) : {};
    return this.db.catalogItem.update({
      where: { id: item.id },
      data: {
        ...price,
        ...(changes.title !== undefined ? { title: changes.title } : {}),
        ...(changes.description !== undefined ? { description: changes.description } : {}),
        ...(changes.discordRoleIds !== undefined ? { discordRoleIds: [...changes.discordRoleIds] } : {}),
        ...(changes.slackChannelIds !== undefined ? { slackChannelIds: [...changes.slackChannelIds] } : {}),
      },
    });
  }

  /** Archived items are no longer for sale; access already bought is kept. */
  async archive(communityId: string, name: string, now: Date): Promise<CatalogItem> {
    const item = await this.find(communityId, name);
    return this.db.catalogItem.update({ where: { id: item.id }, data: { archivedAt: now } });
  }

  list(communityId: string, options: { includeArchived?: boolean } = {}): Promise<CatalogItem[]> {
    return this.db.catalogItem.findMany({
      where: { communityId, ...(options.includeArchived ? {} : { archivedAt: null }) },
      orderBy: [{ archivedAt: { sort: "desc", nulls: "first" } }, { title: "asc" }],
    });
  }

  /** An item by its name, or a friendly error naming what is for sale. */
  async find(communityId: string, name: string, options: { includeArchived?: boolean } = {}): Promise<CatalogItem> {
    const item = await this.db.catalogItem.findUnique({ where: { communityId_name: { communityId, name: name.trim().toLowerCase() } } });
    if (item && (options.includeArchived || !item.archivedAt)) return item;
    const forSale = await this.list(communityId);
    const names = forSale.map((i) => i.name).join(", ");
    if (item) throw new UserFacingError(`“${item.title}” is no longer for sale.${names ? ` For sale now: ${names}.` : ""}`, "archived_item");
    throw new UserFacingError(`There is nothing called “${name}” for sale here.${names ? ` Try one of: ${names}.` : " Nothing is for sale yet."}`, "unknown_item");
  }

  /**
   * Items by their ids, archived ones included: an event restricted to a tier, or access
   * bought earlier, still names its item after the item leaves the shelf.
   */
  async byIds(ids: readonly string[]): Promise<Map<string, CatalogItem>> {
    if (ids.length === 0) return new Map();
    const items = await this.db.catalogItem.findMany({ where: { id: { in: [...new Set(ids)] } } });
    return new Map(items.map((item) => [item.id, item]));
  }

  /** Names starting with what was typed, for autocomplete. */
  async suggest(communityId: string, typed: string): Promise<CatalogItem[]> {
    return this.db.catalogItem.findMany({
      where: { communityId, archivedAt: null, name: { startsWith: typed.trim().toLowerCase() } },
      orderBy: { name: "asc" },
      take: 25,
    });
  }

  async #price(priceId: string) {
    const stripe = requireStripe(this.stripe);
    let price: Stripe.Price;
    try {
      price = await stripe.prices.retrieve(priceId);
    } catch (error) {
      if (isMissing(error)) throw new UserFacingError(`Stripe has no price “${priceId}”. Copy the price id (price_…) from the product's page in the Stripe dashboard.`, "unknown_price");
      throw error;
    }
    if (!price.active) throw new UserFacingError(`The Stripe price ${priceId} is archived; make it active in Stripe or pick another.`, "inactive_price");
    if (price.unit_amount === null) throw new UserFacingError(`The Stripe price ${priceId} has no fixed amount; Guildhall sells fixed prices only.`, "unsupported_price");
    return {
      stripePriceId: price.id,
      stripeProductId: idOf(price.product),
      mode: price.recurring ? "subscription" : "payment",
      currency: price.currency,
      unitAmount: price.unit_amount,
      interval: price.recurring?.interval ?? null,
    };
  }
}
