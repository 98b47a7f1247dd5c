import { UserFacingError } from "../../core/errors.js";

/** A price typed by a creator in the playground instead of a Stripe price id. */
export interface MadeUpPrice {
  /** In the currency's minor units (cents), as Stripe keeps amounts. */
  readonly unitAmount: number;
  /** Lowercase ISO code, as Stripe writes it. */
  readonly currency: string;
  /** Billing interval of a membership; null for a one-time purchase. */
  readonly interval: "day" | "week" | "month" | "year" | null;
}

/** `9.99eur`, `9.99 eur/month`, `25usd/year`: an amount, a currency code, an optional interval. */
export const MADE_UP_PRICE = /^(\d{1,7})(?:\.(\d{1,2}))?\s?([a-z]{3})(?:\s?\/\s?(day|week|month|year))?$/i;

/**
 * Reads a made-up price, or returns undefined when the text is not written like one. A text
 * written like one with an unknown currency or too many decimals is a friendly error.
 */
export function parseMadeUpPrice(text: string): MadeUpPrice | undefined {
  const m = MADE_UP_PRICE.exec(text.trim());
  if (!m) return undefined;
  const [, whole = "0", fraction = "", code = "", interval] = m;
  const currency = code.toLowerCase();
  const digits = fractionDigits(currency);
  if (digits === undefined) throw new UserFacingError(`“${code}” is not a currency code: use three letters such as eur, usd or gbp (for example 9.99eur/month).`, "unknown_currency");
  if (fraction.length > digits) {
    throw new UserFacingError(digits === 0 ? `${code.toUpperCase()} has no cents: write a whole amount such as 500${currency}.` : `${code.toUpperCase()} has ${digits} decimals at most.`, "invalid_price");
  }
  const unitAmount = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
  if (unitAmount <= 0) throw new UserFacingError("A price must be more than zero.", "invalid_price");
  return { unitAmount, currency, interval: (interval?.toLowerCase() as MadeUpPrice["interval"]) ?? null };
}

const KNOWN = new Set(Intl.supportedValuesOf("currency").map((c) => c.toLowerCase()));

function fractionDigits(currency: string): number | undefined {
  if (!KNOWN.has(currency)) return undefined;
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}
