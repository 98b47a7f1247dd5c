import type { ServerResponse } from "node:http";
import { UserFacingError } from "../../core/errors.js";
import type { Logger } from "../../log/logger.js";
import { formatMoney } from "../money.js";
import type { SimulatedOutcome, SimulatedPayments } from "./simulated-payments.js";
import { SIMULATED_LABEL, type SimulatorPages } from "./simulator.js";
import type { FakeCore } from "./stripe/core.js";
import { createPages } from "./stripe/pages.js";

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
  res.end(`<!doctype html><meta charset="utf-8"><title>Simulated checkout</title><body style="font-family:sans-serif;max-width:36em;margin:3em auto">${body}<p><small>${escape(SIMULATED_LABEL)}</small></p></body>`);
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The checkout page a browser opens from a /buy link: `GET /pay/<session>` shows what is
 * bought with a Pay button; `POST` pays it, which sends the signed events to Guildhall. Other
 * pages (the billing portal) are the simulated Stripe's own.
 */
export function checkoutPages(core: FakeCore, payments: SimulatedPayments, log: Logger, onPaid: (paid: SimulatedOutcome) => Promise<void>): SimulatorPages {
  const others = createPages(core);
  return (method, path, res) => {
    const [, kind, id = ""] = path.split("/");
    const session = kind === "pay" ? core.state.checkoutSessions.get(id) : undefined;
    if (!session) return others(method, path, res);
    if (method === "POST") {
      payments.paySession(id).then(
        (paid) => {
          // The chat learns of it too: the buyer gets a private message, as from the platform.
          onPaid(paid).catch((error: unknown) => log.warn({ err: error }, "could not tell the buyer about a simulated payment"));
          html(res, 200, `<h1>Paid</h1><p>${escape(formatMoney(paid.amount, paid.currency))} for <b>${escape(paid.item.title)}</b>.</p><p>Guildhall received ${paid.events.length} signed events. Back in the playground, <code>/access show</code> shows the access it gave.</p>`);
        },
        (error: unknown) => {
          if (!(error instanceof UserFacingError)) log.error({ err: error }, "a simulated payment failed");
          html(res, error instanceof UserFacingError ? 409 : 500, `<h1>Not paid</h1><p>${escape(error instanceof UserFacingError ? error.message.replace(/\*\*/g, "") : "The simulated payment failed; the playground's log (data/guildhall.log) says why.")}</p>`);
        },
      );
      return true;
    }
    const amount = formatMoney(Number(session["amount_total"]), String(session["currency"]));
    const open = session["status"] === "open";
    html(res, 200, `<h1>Simulated checkout</h1><p>${escape(amount)}${session["mode"] === "subscription" ? " (membership, renews until cancelled)" : ""}</p>` +
      (open ? `<form method="post"><button>Pay ${escape(amount)}</button></form>` : `<p>This checkout is ${escape(String(session["status"]))}.</p>`));
    return true;
  };
}
