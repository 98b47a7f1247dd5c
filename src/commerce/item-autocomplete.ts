import type { Autocomplete } from "../core/command.js";
import { formatPrice } from "./money.js";

/** Suggests catalog items for sale, by name, as the member types. */
export const suggestItems: Autocomplete = async (ctx, _option, typed) =>
  (await ctx.services.catalog.suggest(ctx.community.id, typed)).map((i) => ({ name: `${i.title} (${formatPrice(i)})`.slice(0, 100), value: i.name }));
