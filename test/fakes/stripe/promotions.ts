import { randomBytes } from "node:crypto";
import { getOr404, previousAttributes, type FakeCore } from "./core.js";
import { invalid, missingParam, noSuchParam, StripeApiError } from "./errors.js";
import { applyMetadata, objParam, optBool, optInt, optString } from "./form.js";
import { allOf, createdFilter, fieldEquals, paginate } from "./lists.js";
import { route, type Route } from "./router.js";
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
  const coupon: StripeObject = {
    id, object: "coupon", amount_off: amountOff, created: core.now(), currency, duration,
    duration_in_months: durationInMonths, livemode: false, max_redemptions: optInt(body, "max_redemptions") ?? null,
    metadata: applyMetadata({}, body["metadata"]), name: optString(body, "name") ?? null, percent_off: percentOff,
    redeem_by: optInt(body, "redeem_by") ?? null, times_redeemed: 0, valid: true,
  };
  core.state.coupons.set(id, coupon);
  core.emit("coupon.created", coupon);
  return coupon;
}

function createPromotionCode(core: FakeCore, body: Params): StripeObject {
  // Since API 2025-09-30 the coupon sits under `promotion`; the older top-level `coupon` is accepted too.
  const promotion = objParam(body, "promotion");
  const couponId = optString(promotion, "coupon") ?? optString(body, "coupon");
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
  amount: number;
}

/**
 * Validates the `discounts` param of a checkout session (at most one, like Stripe) and computes
 * the amount off `subtotal`.
 */
export function resolveDiscount(
  core: FakeCore,
  discounts: unknown,
  context: { subtotal: number; currency: string; customer: string | null },
): AppliedDiscount | null {
  if (!Array.isArray(discounts) || discounts.length === 0) return null;
  if (discounts.length > 1) throw invalid("You may only specify one discount.", "discounts");
  const entry = (discounts[0] ?? {}) as Params;
  let promotionCode: StripeObject | null = null;
  let couponId = optString(entry, "coupon");
  const promoId = optString(entry, "promotion_code");
  if (promoId) {
    promotionCode = core.state.promotionCodes.get(promoId) ?? null;
    if (promotionCode === null) throw noSuchParam("promotion_code", promoId, "discounts[0][promotion_code]");
    const p = promotionCode;
    const unusable =
      p["active"] !== true ||
      (p["expires_at"] !== null && Number(p["expires_at"]) <= core.now()) ||
      (p["max_redemptions"] !== null && Number(p["times_redeemed"]) >= Number(p["max_redemptions"])) ||
      (p["customer"] !== null && p["customer"] !== context.customer) ||
      (p["restrictions"].minimum_amount !== null && context.subtotal < Number(p["restrictions"].minimum_amount));
    if (unusable) throw invalid(`This promotion code cannot be redeemed: '${promoId}'`, "discounts[0][promotion_code]");
    couponId = String(p["promotion"].coupon);
  }
  if (!couponId) throw missingParam("discounts[0][coupon]");
  const coupon = core.state.coupons.get(couponId);
  if (coupon === undefined) throw noSuchParam("coupon", couponId, "discounts[0][coupon]");
  if (coupon["valid"] !== true) throw invalid(`Coupon expired: ${couponId}`, "discounts[0][coupon]");
  if (coupon["amount_off"] !== null && coupon["currency"] !== context.currency) {
    throw invalid(`The coupon currency (${String(coupon["currency"])}) does not match the session currency.`, "discounts");
  }
  const amount = coupon["percent_off"] !== null
    ? Math.round((context.subtotal * Number(coupon["percent_off"])) / 100)
    : Math.min(Number(coupon["amount_off"]), context.subtotal);
  return { coupon, promotionCode, amount };
}

/** Counts a redemption on the coupon and promotion code. */
export function redeem(discount: AppliedDiscount): void {
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
  route("POST", "/v1/coupons", ({ core, body }) => createCoupon(core, body)),
  route("GET", "/v1/coupons/:id", ({ core, params }) => getOr404(core.state.coupons, "coupon", params["id"] ?? "")),
  route("GET", "/v1/coupons", ({ core, query }) => paginate(core.state.coupons.values(), query, "/v1/coupons", createdFilter(query))),
  route("DELETE", "/v1/coupons/:id", ({ core, params }) => {
    const coupon = getOr404(core.state.coupons, "coupon", params["id"] ?? "");
    core.state.coupons.delete(String(coupon["id"]));
    core.emit("coupon.deleted", coupon);
    return { id: coupon["id"], object: "coupon", deleted: true };
  }),
  route("POST", "/v1/promotion_codes", ({ core, body }) => createPromotionCode(core, body)),
  route("GET", "/v1/promotion_codes/:id", ({ core, params }) =>
    getOr404(core.state.promotionCodes, "promotion_code", params["id"] ?? "")),
  route("POST", "/v1/promotion_codes/:id", ({ core, params, body }) => {
    const promo = getOr404(core.state.promotionCodes, "promotion_code", params["id"] ?? "");
    const before = structuredClone(promo);
    const active = optBool(body, "active");
    if (active !== undefined) promo["active"] = active;
    promo["metadata"] = applyMetadata(promo["metadata"] as Record<string, string>, body["metadata"]);
    const changed = previousAttributes(before, promo);
    if (Object.keys(changed).length > 0) core.emit("promotion_code.updated", promo, changed);
    return promo;
  }),
  route("GET", "/v1/promotion_codes", ({ core, query }) => {
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
