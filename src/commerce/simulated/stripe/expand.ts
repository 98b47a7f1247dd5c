import type { FakeCore } from "./core.js";
import { listParam } from "./form.js";
import type { Params, StripeObject } from "./types.js";

/**
 * Returns a copy of `object` with the `expand[]` paths of `query` inlined: an id string is
 * replaced by the stored object with that id. Lists expand through `data.`, e.g.
 * `data.product`. Unknown paths are ignored rather than rejected.
 */
export function render(core: FakeCore, object: StripeObject, query: Params): StripeObject {
  const copy = structuredClone(object);
  for (const path of listParam(query, "expand")) expandPath(core, copy, path.split("."));
  return copy;
}

function expandPath(core: FakeCore, node: unknown, path: string[]): void {
  const [field, ...rest] = path;
  if (field === undefined || typeof node !== "object" || node === null) return;
  if (Array.isArray(node)) {
    for (const item of node) expandPath(core, item, path);
    return;
  }
  const holder = node as StripeObject;
  let value: unknown = holder[field] ?? virtualField(core, holder, field);
  if (typeof value === "string") {
    const found = core.find(value);
    if (found !== undefined) value = structuredClone(found);
  }
  if (value !== undefined) holder[field] = value;
  if (rest.length > 0) expandPath(core, value, rest);
}

/** Fields Stripe only returns when expanded. */
function virtualField(core: FakeCore, holder: StripeObject, field: string): unknown {
  if (holder["object"] === "checkout.session" && field === "line_items") {
    const id = String(holder["id"]);
    const data = structuredClone(core.state.checkoutLineItems.get(id) ?? []);
    return { object: "list", data, has_more: false, url: `/v1/checkout/sessions/${id}/line_items` };
  }
  return undefined;
}
