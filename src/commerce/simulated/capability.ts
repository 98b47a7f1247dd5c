import { defineCapability } from "../../core/capability.js";
import { checkoutPages } from "./checkout-page.js";
import { payCommand, refundCommand, tellBuyer, tellCancelled, tellRenewed } from "./commands.js";
import { labelWhenSimulated } from "./label.js";
import { SimulatedPayments } from "./simulated-payments.js";
import type { PaymentSimulator } from "./simulator.js";
import { WebhookDelivery } from "./webhook-delivery.js";

/** `/pay` and `/refund`, labelled as simulated: they exist only while payments are simulated. */
export const simulatedPaymentCommands = [payCommand, refundCommand].map(labelWhenSimulated);

/**
 * The playground's simulated payments, as a capability the playground start path adds to the
 * list (and nothing else does): the `simulatedPayments` service and the `/pay` and `/refund`
 * commands, which therefore exist only while payments are simulated.
 */
export function simulatedPaymentsCapability(simulator: PaymentSimulator, webhookUrl: () => Promise<string>) {
  return defineCapability({
    name: "simulated-payments",
    provide(services, deps) {
      const delivery = new WebhookDelivery(simulator.core, simulator.webhookSecret, webhookUrl);
      const payments = new SimulatedPayments(simulator, services.db, services.clock, delivery, () => services.catalog);
      simulator.servePages(checkoutPages(simulator.core, payments, deps.log, {
        onPaid: (paid) => tellBuyer(services, paid),
        onCancelled: (cancelled) => tellCancelled(services, cancelled),
      }));
      return { simulatedPayments: payments };
    },
    commands: simulatedPaymentCommands,
    // Stripe's billing, simulated: memberships renew (or end, when cancelled) as the clock passes
    // their period end: within a minute in real time, at the next hour's step of a /clock move
    // (Stripe's own renewals come up to an hour after the period end too).
    jobs: (services, deps) => [
      {
        name: "simulated-renewals",
        cron: "* * * * *",
        run: async () => {
          for (const renewal of await services.simulatedPayments!.renewDue()) {
            await tellRenewed(services, renewal).catch((error: unknown) => deps.log.warn({ err: error }, "could not tell the member about a simulated renewal"));
          }
        },
      },
    ],
  });
}
