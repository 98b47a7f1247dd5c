import { describe, expect, it } from "vitest";
import { parseMadeUpPrice } from "../../src/commerce/simulated/price-text.js";

/** Issue 10: `/catalog add` with made-up prices in the playground, e.g. `price:9.99eur/month`. */
describe("made-up prices", () => {
  it.each([
    ["9.99eur", { unitAmount: 999, currency: "eur", interval: null }],
    ["9.99eur/month", { unitAmount: 999, currency: "eur", interval: "month" }],
    ["9.99 EUR/month", { unitAmount: 999, currency: "eur", interval: "month" }],
    ["25usd/year", { unitAmount: 2500, currency: "usd", interval: "year" }],
    ["5.5gbp", { unitAmount: 550, currency: "gbp", interval: null }],
    ["500jpy/week", { unitAmount: 500, currency: "jpy", interval: "week" }],
  ])("%s is read as %o", (typed, expected) => {
    expect(parseMadeUpPrice(typed)).toEqual(expected);
  });

  it.each(["price_123", "nine euros", "9.99", "eur9.99", "9.99eur/fortnight"])("%s is not written like a made-up price", (typed) => {
    expect(parseMadeUpPrice(typed)).toBeUndefined();
  });

  it.each([
    ["9.99xyz", "“xyz” is not a currency code"],
    ["5.5jpy", "JPY has no cents"],
    ["0eur", "A price must be more than zero"],
  ])("%s is refused: %s", (typed, message) => {
    expect(() => parseMadeUpPrice(typed)).toThrow(message);
  });
});
