import { randomBytes } from "node:crypto";
import { getOr404, previousAttributes, type FakeCore } from "./core.js";
import { invalid, missingParam, noSuchParam, StripeApiError } from "./errors.js";
import { applyMetadata, listParam, objParam, optBool, optInt, optString } from "./form.js";
import { allOf, createdFilter, fieldEquals, paginate } from "./lists.js";
import { LIST_PARAMS, route, type Route } from "./router.js";
import type { Params, StripeObject } from "./types.js";

function randomCode(length: number): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  return [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join("");
}

function createCoupon(core: FakeCore, body: Params): StripeObject {
  const id = optString(body, "id") || randomCode(8);
  if (core.state.coupons.has(id)) {
    throw new StripeApiError(400, "invalid_request_error", "Coupon already exists.", "resource_already_exists", "id");
  }
  const percentRaw = optString(body, "percent_off");
  const percentOff = percentRaw ? Number(percentRaw) : null;
  const amountOff = optInt(body, "amount_off") ?? null;
  if ((percentOff === null) === (amountOff === null)) {
    throw invalid("You must pass exactly one of percent_off or amount_off.", "percent_off");
  }
  if (percentOff !== null && !(percentOff > 0 && percentOff <= 100)) throw invalid("Invalid percent_off", "percent_off");
  const currency = optString(body, "currency")?.toLowerCase() ?? null;
  if (amountOff !== null && !currency) throw missingParam("currency");
  const duration = optString(body, "duration") ?? "once";
  if (!["once", "repeating", "forever"].includes(duration)) throw invalid(`Invalid duration: ${duration}`, "duration");
  const durationInMonths = optInt(body, "duration_in_months") ?? null;
  if (duration === "repeating" && durationInMonths === null) throw missingParam("duration_in_months");
  const products = listParam(objParam(body, "applies_to"), "products");
  for (const [index, product] of products.entries()) {
    if (!core.state.products.has(product)) throw noSuchParam("product", product, `applies_to[products][${index}]`);
  }
  const coupon: StripeObject = {
    id, object: "coupon", amount_off: amountOff, applies_to: { products }, created: core.now(), currency, duration,
    duration_in_months: durationInMonths, livemode: false, max_redemptions: optInt(body, "max_redemptions") ?? null,
    metadata: applyMetadata({}, body["metadata"]), name: optString(body, "name") ?? null, percent_off: percentOff,
    redeem_by: optInt(body, "redeem_by") ?? null, times_redeemed: 0, valid: true,
  };
  core.state.coupons.set(id, coupon);
  core.emit("coupon.created", coupon);
  return coupon;
}

function createPromotionCode(core: FakeCore, body: Params): StripeObject {
  // Since API 2025-09-30 the coupon sits under `promotion` (a top-level `coupon` is an unknown parameter).
  const promotion = objParam(body, "promotion");
  const couponId = optString(promotion, "coupon");
  if (!couponId) throw missingParam("promotion[coupon]");
  if (!core.state.coupons.has(couponId)) throw noSuchParam("coupon", couponId, "promotion[coupon]");
  const code = optString(body, "code") ?? randomCode(8);
  if (!/^[A-Za-z0-9-]+$/.test(code)) throw invalid("Invalid code: use letters, digits and dashes.", "code");
  const taken = [...core.state.promotionCodes.values()]
    .some((p) => p["active"] === true && String(p["code"]).toLowerCase() === code.toLowerCase());
  if (taken) throw invalid(`An active promotion code with \`code: ${code}\` already exists.`, "code");
  const customer = optString(body, "customer") ?? null;
  if (customer !== null && !core.state.customers.has(customer)) throw noSuchParam("customer", customer, "customer");
  const restrictions = objParam(body, "restrictions");
  const minimumAmount = optInt(restrictions, "minimum_amount", "restrictions[minimum_amount]") ?? null;
  const minimumCurrency = optString(restrictions, "minimum_amount_currency")?.toLowerCase() ?? null;
  if (minimumAmount !== null && !minimumCurrency) throw missingParam("restrictions[minimum_amount_currency]");
  const promo: StripeObject = {
    id: core.id("promo"), object: "promotion_code", active: optBool(body, "active") ?? true, code,
    created: core.now(), customer, customer_account: null, expires_at: optInt(body, "expires_at") ?? null,
    livemode: false, max_redemptions: optInt(body, "max_redemptions") ?? null,
    metadata: applyMetadata({}, body["metadata"]), promotion: { coupon: couponId, type: "coupon" },
    restrictions: {
      first_time_transaction: optBool(restrictions, "first_time_transaction") ?? false,
      minimum_amount: minimumAmount, minimum_amount_currency: minimumCurrency,
    },
    times_redeemed: 0,
  };
  core.state.promotionCodes.set(String(promo["id"]), promo);
  core.emit("promotion_code.created", promo);
  return promo;
}

/** A discount applied to a checkout session, ready to be redeemed when it completes. */
export interface AppliedDiscount {
  coupon: StripeObject;
  promotionCode: StripeObject | null;
  /** The total amount off. */
  amount: number;
  /** The amount off each line, in line order (0 for lines the coupon does not apply to). */
  shares: number[];
}

/** One line of what is being bought: its product and its amount before discounts. */
export interface DiscountableLine {
  product: string;
  amount: number;
}

/** Whether a promotion code can be redeemed now by `customer`, for an order of `subtotal`. */
function promotionCodeUsable(core: FakeCore, p: StripeObject, context: { subtotal: number; customer: string | null }): boolean {
  return p["active"] === true &&
    (p["expires_at"] === null || Number(p["expires_at"]) > core.now()) &&
    (p["max_redemptions"] === null || Number(p["times_redeemed"]) < Number(p["max_redemptions"])) &&
    (p["customer"] === null || p["customer"] === context.customer) &&
    (p["restrictions"].minimum_amount === null || context.subtotal >= Number(p["restrictions"].minimum_amount));
}

/**
 * What `coupon` takes off `lines`: only lines whose product is in `applies_to[products]` (every
 * line when it has none). A percentage is taken off each eligible line; a fixed amount is spread
 * over the eligible lines in proportion, never more than they cost. `null` when no line is eligible.
 */
export function couponShares(coupon: StripeObject, lines: readonly DiscountableLine[]): number[] | null {
  const only = (coupon["applies_to"]?.products ?? []) as string[];
  const eligible = lines.map((line) => only.length === 0 || only.includes(line.product));
  if (!eligible.some(Boolean)) return null;
  if (coupon["percent_off"] !== null) {
    return lines.map((line, i) => (eligible[i] ? Math.round((line.amount * Number(coupon["percent_off"])) / 100) : 0));
  }
  const base = lines.reduce((sum, line, i) => sum + (eligible[i] ? line.amount : 0), 0);
  const total = Math.min(Number(coupon["amount_off"]), base);
  const lastEligible = eligible.lastIndexOf(true);
  let left = total;
  return lines.map((line, i) => {
    if (!eligible[i]) return 0;
    const share = i === lastEligible ? left : base === 0 ? 0 : Math.floor((total * line.amount) / base);
    left -= share;
    return share;
  });
}

/**
 * Resolves a coupon or promotion code for `lines` as Stripe does at Checkout: the code must be
 * active, unexpired, not used up, for this customer and above its minimum; the coupon valid, in
 * the order's currency, and for at least one of the products. `param` names the param in errors.
 */
export function applyDiscount(
  core: FakeCore,
  ref: { coupon?: string | null; promotionCode?: string | null },
  context: { lines: readonly DiscountableLine[]; currency: string; customer: string | null; param: string },
): AppliedDiscount {
  const subtotal = context.lines.reduce((sum, line) => sum + line.amount, 0);
  let promotionCode: StripeObject | null = null;
  let couponId = ref.coupon ?? null;
  if (ref.promotionCode) {
    promotionCode = core.state.promotionCodes.get(ref.promotionCode) ?? null;
    if (promotionCode === null) throw noSuchParam("promotion_code", ref.promotionCode, `${context.param}[promotion_code]`);
    if (!promotionCodeUsable(core, promotionCode, { subtotal, customer: context.customer })) {
      throw invalid(`This promotion code cannot be redeemed: '${ref.promotionCode}'`, `${context.param}[promotion_code]`);
    }
    couponId = String(promotionCode["promotion"].coupon);
  }
  if (!couponId) throw missingParam(`${context.param}[coupon]`);
  const coupon = core.state.coupons.get(couponId);
  if (coupon === undefined) throw noSuchParam("coupon", couponId, `${context.param}[coupon]`);
  const pastRedeemBy = coupon["redeem_by"] !== null && Number(coupon["redeem_by"]) <= core.now();
  if (coupon["valid"] !== true || pastRedeemBy) throw invalid(`Coupon expired: ${couponId}`, `${context.param}[coupon]`, "coupon_expired");
  if (coupon["amount_off"] !== null && coupon["currency"] !== context.currency) {
    throw invalid(`The coupon currency (${String(coupon["currency"])}) does not match the session currency.`, context.param);
  }
  const shares = couponShares(coupon, context.lines);
  if (shares === null) throw invalid(`The coupon ${couponId} does not apply to any of the items being purchased.`, context.param);
  return { coupon, promotionCode, amount: shares.reduce((a, b) => a + b, 0), shares };
}

/** The `discounts` param of a checkout session (at most one, like Stripe), resolved for `lines`. */
export function resolveDiscount(
  core: FakeCore,
  discounts: unknown,
  context: { lines: readonly DiscountableLine[]; currency: string; customer: string | null },
): AppliedDiscount | null {
  if (!Array.isArray(discounts) || discounts.length === 0) return null;
  if (discounts.length > 1) throw invalid("You may only specify one discount.", "discounts");
  const entry = (discounts[0] ?? {}) as Params;
  return applyDiscount(core, { coupon: optString(entry, "coupon") ?? null, promotionCode: optString(entry, "promotion_code") ?? null },
    { ...context, param: "discounts[0]" });
}

/** Counts a redemption on the coupon and promotion code. */
export function redeem(discount: Pick<AppliedDiscount, "coupon" | "promotionCode">): void {
  discount.coupon["times_redeemed"] = Number(discount.coupon["times_redeemed"]) + 1;
  const maxRedemptions = discount.coupon["max_redemptions"];
  if (maxRedemptions !== null && Number(discount.coupon["times_redeemed"]) >= Number(maxRedemptions)) {
    discount.coupon["valid"] = false;
  }
  if (discount.promotionCode) {
    discount.promotionCode["times_redeemed"] = Number(discount.promotionCode["times_redeemed"]) + 1;
  }
}

/** Coupons and promotion codes. */
export const promotionRoutes: Route[] = [
  route("POST", "/v1/coupons", ["id", "percent_off", "amount_off", "currency", "duration", "duration_in_months", "max_redemptions", "metadata", "name", "redeem_by", "applies_to"], ({ core, body }) => createCoupon(core, body)),
  route("GET", "/v1/coupons/:id", [], ({ core, params }) => getOr404(core.state.coupons, "coupon", params["id"] ?? "")),
  route("GET", "/v1/coupons", [...LIST_PARAMS], ({ core, query }) => paginate(core.state.coupons.values(), query, "/v1/coupons", createdFilter(query))),
  route("DELETE", "/v1/coupons/:id", [], ({ core, params }) => {
    const coupon = getOr404(core.state.coupons, "coupon", params["id"] ?? "");
    core.state.coupons.delete(String(coupon["id"]));
    core.emit("coupon.deleted", coupon);
    return { id: coupon["id"], object: "coupon", deleted: true };
  }),
  route("POST", "/v1/promotion_codes", ["promotion", "code", "customer", "restrictions", "expires_at", "max_redemptions", "metadata", "active"], ({ core, body }) => createPromotionCode(core, body)),
  route("GET", "/v1/promotion_codes/:id", [], ({ core, params }) =>
    getOr404(core.state.promotionCodes, "promotion_code", params["id"] ?? "")),
  route("POST", "/v1/promotion_codes/:id", ["active", "metadata"], ({ core, params, body }) => {
    const promo = getOr404(core.state.promotionCodes, "promotion_code", params["id"] ?? "");
    const before = structuredClone(promo);
    const active = optBool(body, "active");
    if (active !== undefined) promo["active"] = active;
    promo["metadata"] = applyMetadata(promo["metadata"] as Record<string, string>, body["metadata"]);
    const changed = previousAttributes(before, promo);
    if (Object.keys(changed).length > 0) core.emit("promotion_code.updated", promo, changed);
    return promo;
  }),
  route("GET", "/v1/promotion_codes", [...LIST_PARAMS, "active", "code", "coupon", "customer"], ({ core, query }) => {
    const active = optBool(query, "active");
    const code = optString(query, "code")?.toLowerCase();
    const coupon = optString(query, "coupon");
    return paginate(core.state.promotionCodes.values(), query, "/v1/promotion_codes", allOf(
      createdFilter(query), fieldEquals(query, "customer"),
      active === undefined ? undefined : (p) => p["active"] === active,
      code ? (p) => String(p["code"]).toLowerCase() === code : undefined,
      coupon ? (p) => p["promotion"].coupon === coupon : undefined,
    ));
  }),
];
