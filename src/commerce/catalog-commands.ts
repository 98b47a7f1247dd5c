import { defineCommand, defineGroup } from "../core/command.js";
import { mention } from "../core/markup.js";
import { inline } from "../core/member-text.js";
import { option, typedAs } from "../core/options.js";
import { reply } from "../core/reply.js";
import { parseDiscordRoles, parseSlackChannels } from "./access-targets.js";
import type { CatalogItem } from "./catalog-service.js";
import { suggestItems } from "./item-autocomplete.js";
import { formatPrice } from "./money.js";
import { parseMadeUpPrice } from "./simulated/price-text.js";
import type { CommandContext } from "../core/context.js";
import { UserFacingError } from "../core/errors.js";

const itemName = option.string({ description: "The item's short name, e.g. async-rust", required: true, minLength: 2, maxLength: 40, typed: typedAs.word });
/** Role and channel lists typed among other words: mentions, ids or #names, separated by spaces or commas. */
const ROLES_TYPED = typedAs.phrase(10, (t) => t.split(/[\s,]+/).filter(Boolean).every((w) => /^(@[\w.-]+|<@&\d+>|\d{15,21})$/.test(w)));
const CHANNELS_TYPED = typedAs.phrase(10, (t) => t.split(/[\s,]+/).filter(Boolean).every((w) => /^(#[\w.-]+|<#\w+(\|[^>]*)?>|[CG][A-Z0-9]{6,})$/.test(w)));
/** A Stripe price id, or a made-up price typed as one word (9.99eur/month) for simulated payments. */
const PRICE_TYPED = typedAs.pattern(/^price_\w+$|^\d+(\.\d{1,2})?[a-z]{3}(\/(day|week|month|year))?$/i);
const NAME_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

/** What an item grants, in words a member understands. */
export function grantsText(item: CatalogItem): string {
  const parts = [
    ...item.discordRoleIds.map((r) => `Discord role ${mention.role(r)}`),
    ...item.slackChannelIds.map((c) => `Slack channel ${mention.channel(c)}`),
  ];
  return parts.length > 0 ? parts.join(", ") : "no platform access configured yet";
}

/** A member's name in bold, unable to ping or break the markup. */
const name = (displayName: string) => `**${inline(displayName) || "a member"}**`;

/** "★ 4.3 (12 ratings)", or nothing for an item nobody rated (the ratings capability keeps them). */
function ratingText(rating: { average: number; count: number } | undefined): string {
  return rating && rating.count > 0 ? `★ ${rating.average.toFixed(1)} (${rating.count} rating${rating.count === 1 ? "" : "s"})` : "";
}

function itemLine(item: CatalogItem): string {
  const kind = item.mode === "subscription" ? "membership" : "course";
  return `**${item.title}** (\`${item.name}\`, ${kind}): ${formatPrice(item)}${item.archivedAt ? " _archived_" : ""}`;
}

/**
 * The Stripe price id typed, or, while payments are simulated, a price created in the
 * simulated Stripe from a made-up one (`9.99eur/month`), as a creator would in Stripe's dashboard.
 */
async function priceIdFor(ctx: CommandContext<unknown>, typed: string, title: string): Promise<string> {
  const simulated = ctx.services.simulatedPayments;
  if (/^price_/.test(typed) && !simulated) return typed;
  const madeUp = parseMadeUpPrice(typed);
  if (madeUp && simulated) return simulated.createPrice(madeUp, title);
  if (simulated) throw new UserFacingError("In the playground, prices are made up: `price:9.99eur` for a course, `price:19eur/month` for a membership. Price ids (price_…) come from a Stripe account (STRIPE_SECRET_KEY).", "invalid_price");
  throw new UserFacingError("`price` must be a Stripe price id (price_…), copied from the product's page in the Stripe dashboard. Made-up prices such as 9.99eur/month work only in the playground's simulated payments.", "invalid_price");
}

const add = defineCommand({
  name: "add",
  description: "Put a course or membership tier on sale",
  permission: "creator",
  options: {
    name: itemName,
    title: option.string({ description: "Title members see", required: true, maxLength: 100 }),
    price: option.string({ description: "Stripe price id (price_…), or in the playground a made-up price such as 9.99eur/month", required: true, maxLength: 100, typed: PRICE_TYPED }),
    description: option.string({ description: "What members get", maxLength: 1000 }),
    discord_roles: option.string({ description: "Discord roles it grants (mentions or ids)", maxLength: 500, typed: ROLES_TYPED }),
    slack_channels: option.string({ description: "Slack private channels it grants (mentions or ids)", maxLength: 500, typed: CHANNELS_TYPED }),
  },
  handler: async (ctx) => {
    const o = ctx.options;
    const name = o.name.toLowerCase();
    if (!NAME_PATTERN.test(name)) return reply.ephemeral("Names use lowercase letters, digits and dashes, like `async-rust`.", { tone: "error" });
    const item = await ctx.services.catalog.add(ctx.community.id, name, {
      title: o.title,
      description: o.description ?? "",
      priceId: await priceIdFor(ctx, o.price, o.title),
      discordRoleIds: parseDiscordRoles(o.discord_roles),
      slackChannelIds: parseSlackChannels(o.slack_channels),
    });
    return reply.ephemeral(`Added ${itemLine(item)}. Members buy it with \`/buy ${item.name}\`.`, { tone: "success", fields: [{ name: "Grants", value: grantsText(item) }] });
  },
});

const edit = defineCommand({
  name: "edit",
  description: "Change an item's title, description, price or access",
  permission: "creator",
  options: {
    name: itemName,
    title: option.string({ description: "New title", maxLength: 100 }),
    price: option.string({ description: "New Stripe price id (in the playground: a made-up price such as 9.99eur)", maxLength: 100, typed: PRICE_TYPED }),
    description: option.string({ description: "New description", maxLength: 1000 }),
    discord_roles: option.string({ description: "Discord roles it grants, replacing the old list", maxLength: 500, typed: ROLES_TYPED }),
    slack_channels: option.string({ description: "Slack channels it grants, replacing the old list", maxLength: 500, typed: CHANNELS_TYPED }),
  },
  handler: async (ctx) => {
    const o = ctx.options;
    const item = await ctx.services.catalog.edit(ctx.community.id, o.name, {
      ...(o.title !== undefined ? { title: o.title } : {}),
      ...(o.price !== undefined ? { priceId: await priceIdFor(ctx, o.price, o.title ?? o.name) } : {}),
      ...(o.description !== undefined ? { description: o.description } : {}),
      ...(o.discord_roles !== undefined ? { discordRoleIds: parseDiscordRoles(o.discord_roles) } : {}),
      ...(o.slack_channels !== undefined ? { slackChannelIds: parseSlackChannels(o.slack_channels) } : {}),
    });
    return reply.ephemeral(`Updated ${itemLine(item)}.`, { tone: "success", fields: [{ name: "Grants", value: grantsText(item) }] });
  },
});

const archive = defineCommand({
  name: "archive",
  description: "Stop selling an item (members keep what they bought)",
  permission: "creator",
  options: { name: itemName },
  handler: async (ctx) => {
    const item = await ctx.services.catalog.archive(ctx.community.id, ctx.options.name, ctx.now);
    return reply.ephemeral(`**${item.title}** is no longer for sale. Members who bought it keep their access.`, { tone: "success" });
  },
});

const list = defineCommand({
  name: "list",
  description: "Everything in the catalog, archived items included",
  permission: "creator",
  handler: async (ctx) => {
    const items = await ctx.services.catalog.list(ctx.community.id, { includeArchived: true });
    if (items.length === 0) return reply.ephemeral("The catalog is empty. Add an item with `/catalog add`.");
    return reply.ephemeral(items.map(itemLine).join("\n"), { title: "Catalog" });
  },
});

/** `/catalog add|edit|archive|list`, for creators. */
export const catalogCommand = defineGroup({ name: "catalog", description: "Manage the courses and memberships on sale", subcommands: [add, edit, archive, list] });

/** `/courses`: what is for sale here. */
export const coursesCommand = defineCommand({
  name: "courses",
  description: "See the courses and memberships for sale",
  handler: async (ctx) => {
    const items = await ctx.services.catalog.list(ctx.community.id);
    if (items.length === 0) return reply.ephemeral("Nothing is for sale yet.");
    const ratings = await ctx.services.ratings.averageFor(ctx.community.id, items.map((i) => i.id));
    const rated = (i: CatalogItem) => (ratings.has(i.id) ? ` · ${ratingText(ratings.get(i.id))}` : "");
    return reply.ephemeral(items.map((i) => `${itemLine(i)}${rated(i)}\n${i.description || ""}`.trim()).join("\n\n"), {
      title: `For sale in ${ctx.community.name}`,
      footer: "Buy with /buy <name>. /course <name> shows one in detail.",
    });
  },
});

/** `/course <name>`: one item in detail. */
export const courseCommand = defineCommand({
  name: "course",
  description: "See one course or membership in detail",
  options: { name: option.string({ description: "The item's name", required: true, maxLength: 40, autocomplete: true }) },
  autocomplete: suggestItems,
  handler: async (ctx) => {
    const item = await ctx.services.catalog.find(ctx.community.id, ctx.options.name);
    const { summary, comments } = await ctx.services.ratings.itemDetails(ctx.community.id, item.id);
    const said = comments.map((c) => `${"★".repeat(c.stars)} “${inline(c.comment)}” · ${name(c.displayName)} · #${c.number}`);
    return reply.ephemeral(item.description || "No description yet.", {
      title: item.title,
      fields: [
        { name: "Price", value: formatPrice(item), inline: true },
        { name: "Kind", value: item.mode === "subscription" ? "Membership (renews until cancelled)" : "Course (one payment)", inline: true },
        { name: "Rating", value: ratingText(summary) || "Not rated yet", inline: true },
        { name: "Grants", value: grantsText(item) },
        ...(said.length > 0 ? [{ name: "Latest comments", value: said.join("\n") }] : []),
      ],
      footer: `Buy with /buy ${item.name}`,
    });
  },
});
