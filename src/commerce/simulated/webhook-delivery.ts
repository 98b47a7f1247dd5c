import type { FakeCore } from "./stripe/core.js";
import type { StripeObject } from "./stripe/types.js";
import { postWebhook, signedWebhook } from "./stripe/webhooks.js";

/**
 * Sends the simulator's events to Guildhall's own `POST /webhooks/stripe`, signed with the
 * webhook secret, oldest first, as Stripe's delivery does. Access therefore arrives through
 * the same verify → apply path as with real Stripe. Deliveries never overlap.
 */
export class WebhookDelivery {
  readonly #delivered = new Set<string>();
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly core: FakeCore,
    private readonly secret: string,
    /** Where the webhook route listens; starts the HTTP server when it is not running yet. */
    private readonly webhookUrl: () => Promise<string>,
  ) {
    // Events restored from an earlier run were delivered then.
    for (const event of core.state.events) this.#delivered.add(String(event["id"]));
  }

  /** Delivers every event not delivered yet and returns their types, in delivery order. */
  deliverPending(): Promise<string[]> {
    const run = this.#queue.then(() => this.#deliver());
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #deliver(): Promise<string[]> {
    const pending = this.core.state.events.filter((e) => !this.#delivered.has(String(e["id"]))).reverse();
    if (pending.length === 0) return [];
    const url = await this.webhookUrl();
    const types: string[] = [];
    for (const event of pending) {
      await this.#post(url, event);
      this.#delivered.add(String(event["id"]));
      types.push(String(event["type"]));
    }
    return types;
  }

  async #post(url: string, event: StripeObject): Promise<void> {
    const { payload, header } = signedWebhook(event, this.secret);
    const answer = await postWebhook(url, payload, header);
    if (answer.status !== 200) throw new Error(`Guildhall's webhook answered ${answer.status} to the simulated ${String(event["type"])} event: ${answer.body.slice(0, 200)}`);
  }
}
