import type { ServerResponse } from "node:http";
import { UserFacingError } from "../../core/errors.js";
import type { Logger } from "../../log/logger.js";
import { formatMoney } from "../money.js";
import type { SimulatedOutcome, SimulatedPayments } from "./simulated-payments.js";
import { escapeHtml, page } from "./page-html.js";
import type { FakeCore } from "./stripe/core.js";

/** What the member is told in the chat after cancelling on the portal page. */
export type OnCancelled = (cancelled: SimulatedOutcome & { readonly endsAt: Date }) => Promise<void>;

/**
 * The billing portal a browser opens from /billing: `GET /portal/<session>` lists the
 * customer's memberships with a Cancel button; `POST /portal/<session>/cancel/<subscription>`
 * schedules the cancellation at the period end, whose signed event reaches Guildhall.
 */
export function portalPage(core: FakeCore, payments: SimulatedPayments, log: Logger, onCancelled: OnCancelled) {
  return (method: string, parts: readonly string[], res: ServerResponse): boolean => {
    const [portalId = "", action, subscriptionId = ""] = parts;
    const portal = core.state.portalSessions.get(portalId);
    if (!portal) return false;
    if (method === "POST" && action === "cancel") {
      const sub = core.state.subscriptions.get(subscriptionId);
      if (!sub || sub["customer"] !== portal["customer"]) return false;
      payments.cancelAtPeriodEnd(subscriptionId).then(
        (cancelled) => {
          onCancelled(cancelled).catch((error: unknown) => log.warn({ err: error }, "could not tell the member about a simulated cancellation"));
          page(res, 200, "Cancelled", `<p><b>${escapeHtml(cancelled.item.title)}</b> ends on ${escapeHtml(cancelled.endsAt.toISOString().slice(0, 10))}; access lasts until then.</p>`);
        },
        (error: unknown) => {
          if (!(error instanceof UserFacingError)) log.error({ err: error }, "a simulated cancellation failed");
          page(res, error instanceof UserFacingError ? 409 : 500, "Not cancelled", `<p>${escapeHtml(error instanceof UserFacingError ? error.message.replace(/\*\*/g, "") : "The cancellation failed; the playground's log (data/guildhall.log) says why.")}</p>`);
        },
      );
      return true;
    }
    const subs = [...core.state.subscriptions.values()].filter((s) => s["customer"] === portal["customer"] && s["status"] !== "canceled");
    const rows = subs.map((s) => {
      const price = s["items"].data[0]?.price;
      const name = String(core.state.products.get(String(price?.product))?.["name"] ?? s["id"]);
      const amount = `${formatMoney(Number(price?.unit_amount ?? 0), String(price?.currency ?? "eur"))} / ${String(price?.recurring?.interval ?? "period")}`;
      const until = new Date(Number(s["items"].data[0]?.current_period_end) * 1000).toISOString().slice(0, 10);
      const cancel = s["cancel_at_period_end"] === true
        ? `ends on ${until}`
        : `<form method="post" action="/portal/${escapeHtml(portalId)}/cancel/${escapeHtml(String(s["id"]))}"><button>Cancel at the end of the period (${until})</button></form>`;
      return `<li><b>${escapeHtml(name)}</b>, ${escapeHtml(amount)}: ${cancel}</li>`;
    });
    page(res, 200, "Simulated billing portal", rows.length > 0 ? `<ul>${rows.join("")}</ul>` : "<p>No memberships to manage.</p>");
    return true;
  };
}
