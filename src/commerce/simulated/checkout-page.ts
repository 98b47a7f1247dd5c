import { UserFacingError } from "../../core/errors.js";
import type { Logger } from "../../log/logger.js";
import { formatMoney } from "../money.js";
import { escapeHtml, page } from "./page-html.js";
import { type OnCancelled, portalPage } from "./portal-page.js";
import type { SimulatedOutcome, SimulatedPayments } from "./simulated-payments.js";
import type { SimulatorPages } from "./simulator.js";
import type { FakeCore } from "./stripe/core.js";

/** How the chat hears of what happened on a page: a private message to the member. */
export interface PageNotices {
  readonly onPaid: (paid: SimulatedOutcome) => Promise<void>;
  readonly onCancelled: OnCancelled;
}

/**
 * The pages a browser opens: `GET /pay/<session>` (a /buy link) shows what is bought with a
 * Pay button, and `POST` pays it, which sends the signed events to Guildhall; `/portal/…` (a
 * /billing link) is the billing portal.
 */
export function checkoutPages(core: FakeCore, payments: SimulatedPayments, log: Logger, notices: PageNotices): SimulatorPages {
  const portal = portalPage(core, payments, log, notices.onCancelled);
  return (method, path, res, form) => {
    const [, kind = "", ...rest] = path.split("/");
    if (kind === "portal") return portal(method, rest, res);
    const id = rest[0] ?? "";
    const session = kind === "pay" && rest.length === 1 ? core.state.checkoutSessions.get(id) : undefined;
    if (!session) return false;
    if (method === "POST") {
      const code = typeof form["code"] === "string" ? form["code"] : undefined;
      payments.paySession(id, code).then(
        (paid) => {
          notices.onPaid(paid).catch((error: unknown) => log.warn({ err: error }, "could not tell the buyer about a simulated payment"));
          page(res, 200, "Paid", `<p>${escapeHtml(formatMoney(paid.amount, paid.currency))} for <b>${escapeHtml(paid.item.title)}</b>.</p><p>Guildhall received the payment's signed events. Back in the playground, <code>/access show</code> shows the access it gave.</p>`);
        },
        (error: unknown) => {
          if (!(error instanceof UserFacingError)) log.error({ err: error }, "a simulated payment failed");
          page(res, error instanceof UserFacingError ? 409 : 500, "Not paid", `<p>${escapeHtml(error instanceof UserFacingError ? error.message.replace(/\*\*/g, "") : "The simulated payment failed; the playground's log (data/guildhall.log) says why.")}</p>`);
        },
      );
      return true;
    }
    const what = String(core.state.checkoutLineItems.get(id)?.[0]?.["description"] ?? "");
    const amount = formatMoney(Number(session["amount_total"]), String(session["currency"]));
    const membership = session["mode"] === "subscription" ? " (a membership, renewed until cancelled)" : "";
    page(res, 200, "Simulated checkout", `<p><b>${escapeHtml(what)}</b>: ${escapeHtml(amount)}${membership}</p>` +
      (session["status"] === "open"
        ? `<form method="post">${session["allow_promotion_codes"] === true ? `<p><label>Promotion code <input name="code"></label></p>` : ""}<button>Pay ${escapeHtml(amount)}</button></form>`
        : `<p>This checkout is ${escapeHtml(String(session["status"]))}.</p>`));
    return true;
  };
}
