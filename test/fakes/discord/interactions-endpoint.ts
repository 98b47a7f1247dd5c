// Interactions over HTTP, as Discord sends them to an application's Interactions Endpoint URL:
// the interaction JSON POSTed with an Ed25519 signature over timestamp + body, and the
// endpoint's answer taken as the interaction's response. The answer goes through the fake's own
// callback route (without HTTP), so it is validated, recorded (`calls`) and acted on exactly
// like a callback discord.js sends for a gateway interaction, and `answerTo` reads both alike.
import { type KeyObject, sign } from "node:crypto";

/** What the endpoint answered: its status, its body (parsed JSON, or the text), and when (performance.now()). */
export interface EndpointAnswer {
  status: number;
  body: unknown;
  at: number;
}

/** Where interactions go when an Interactions Endpoint URL is set, and the key that signs them. */
export class InteractionsEndpoint {
  #url: string | undefined;
  #key: KeyObject | undefined;

  /** `applyCallback` runs a callback through the fake's REST routes, recording it as a call. */
  constructor(private readonly applyCallback: (path: string, body: unknown) => Promise<unknown>) {}

  /** Sends interactions to `url` (signed with `privateKey`) instead of the gateway; undefined goes back to the gateway. */
  use(url: string | undefined, privateKey?: KeyObject): void {
    if (url !== undefined && !privateKey) throw new Error("Fake Discord: an Interactions Endpoint URL needs the private key that signs for it");
    this.#url = url;
    this.#key = privateKey;
  }

  get active(): boolean {
    return this.#url !== undefined;
  }

  /**
   * POSTs the interaction, signed; a 200 answer carrying a response type is then applied as the
   * interaction's callback. Other answers (401, 409) are Discord's "interaction failed": nothing more.
   */
  async deliver(interaction: { id: string; token: string; type: number }): Promise<EndpointAnswer> {
    const answer = await this.post(JSON.stringify(interaction));
    const response = answer.body as { type?: unknown } | undefined;
    if (answer.status === 200 && interaction.type !== 1 && typeof response?.type === "number") {
      await this.applyCallback(`/interactions/${interaction.id}/${interaction.token}/callback`, response);
    }
    return answer;
  }

  /** POSTs a body signed now (or at `timestamp`, seconds), as Discord would. */
  async post(body: string, timestamp = String(Math.floor(Date.now() / 1000))): Promise<EndpointAnswer> {
    if (!this.#url || !this.#key) throw new Error("Fake Discord: no Interactions Endpoint URL set (useInteractionsEndpoint)");
    const signature = sign(null, Buffer.from(timestamp + body), this.#key).toString("hex");
    const response = await fetch(this.#url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-signature-ed25519": signature, "x-signature-timestamp": timestamp, "user-agent": "Discord-Interactions/1.0 (+https://discord.com)" },
      body,
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text) as unknown;
    } catch {
      // not JSON: kept as text
    }
    return { status: response.status, body: parsed, at: performance.now() };
  }
}
