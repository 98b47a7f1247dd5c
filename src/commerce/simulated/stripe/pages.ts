import type { ServerResponse } from "node:http";
import type { FakeCore } from "./core.js";
import { completeCheckout } from "./simulate-checkout.js";

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
  res.end(`<!doctype html><meta charset="utf-8"><title>Fake Stripe</title>${body}`);
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Stand-ins for the pages a buyer would see: `GET /pay/:id` shows the session with a Pay button,
 * `POST /pay/:id` completes it (then redirects to `success_url`), `GET /portal/:id` shows the
 * portal. Handy for manual runs of the bot against the fake.
 */
export function createPages(core: FakeCore): (method: string, path: string, res: ServerResponse) => boolean {
  return (method, path, res) => {
    const [, kind, id = ""] = path.split("/");
    if (kind === "pay") {
      const session = core.state.checkoutSessions.get(id);
      if (!session) return false;
      if (method === "POST" && session["status"] === "open") {
        completeCheckout(core, id);
        const success = session["success_url"] as string | null;
        if (success) {
          res.writeHead(303, { location: success.replace("{CHECKOUT_SESSION_ID}", id) });
          res.end();
        } else {
          html(res, 200, `<p>Paid ${escape(id)}.</p>`);
        }
        return true;
      }
      const amount = `${(Number(session["amount_total"]) / 100).toFixed(2)} ${String(session["currency"]).toUpperCase()}`;
      html(res, 200, `<h1>Fake checkout</h1><p>${escape(id)}: ${escape(amount)}, status ${escape(String(session["status"]))}</p>` +
        (session["status"] === "open" ? `<form method="post"><button>Pay</button></form>` : ""));
      return true;
    }
    if (kind === "portal") {
      const portal = core.state.portalSessions.get(id);
      if (!portal) return false;
      const back = portal["return_url"] ? `<a href="${escape(String(portal["return_url"]))}">Return</a>` : "";
      html(res, 200, `<h1>Fake billing portal</h1><p>Customer ${escape(String(portal["customer"]))}</p>${back}`);
      return true;
    }
    return false;
  };
}
