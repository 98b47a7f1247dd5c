/** Formats an amount in minor units (cents) for people: 4900 EUR → "€49.00". */
export function formatMoney(minorUnits: number, currency: string, locale = "en"): string {
  const format = new Intl.NumberFormat(locale, { style: "currency", currency: currency.toUpperCase() });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(minorUnits / 10 ** digits);
}

/** "€49.00", or "€19.00 / month" for a subscription tier. */
export function formatPrice(item: { unitAmount: number; currency: string; interval: string | null }): string {
  const price = formatMoney(item.unitAmount, item.currency);
  return item.interval ? `${price} / ${item.interval}` : price;
}
