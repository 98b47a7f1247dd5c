import { randomBytes } from "node:crypto";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type Stripe from "stripe";
import type { Config } from "../../config/config.js";
import type { Clock } from "../../core/services.js";
import { StartupError } from "../../db/data-dir-lock.js";
import { createStripeClient } from "../stripe-client.js";
import { billingRoutes } from "./stripe/billing-routes.js";
import { catalogRoutes } from "./stripe/catalog.js";
import { checkoutRoutes } from "./stripe/checkout.js";
import { FakeCore } from "./stripe/core.js";
import { promotionRoutes } from "./stripe/promotions.js";
import { restoreState, saveState } from "./saved-state.js";
import { createListener } from "./stripe/server.js";
import { expireDueSessions } from "./stripe/simulate-checkout.js";
import type { Params } from "./stripe/types.js";

/** The label every simulated commerce reply carries. */
export const SIMULATED_LABEL = "(simulated payment — no real money)";

/** The stand-in pages a browser opens (`/pay/<session>`); answered by the simulated payments service. */
export type SimulatorPages = (method: string, path: string, res: ServerResponse, form: Params) => boolean;

/**
 * The playground's payment provider: the simulated Stripe (./stripe) on a loopback port,
 * a stripe-node client pointed at it, and the webhook secret its events are signed with.
 */
export interface PaymentSimulator {
  /** stripe-node, talking to the simulator exactly as it talks to api.stripe.com. */
  readonly stripe: Stripe;
  /** Generated at start; the simulator signs its webhooks with it and Guildhall verifies them. */
  readonly webhookSecret: string;
  /** The simulated Stripe's state and clock. */
  readonly core: FakeCore;
  /** `http://127.0.0.1:PORT`, where checkout links point. */
  readonly url: string;
  /** Serves the buyer's pages from now on (set once the payments service exists). */
  servePages(pages: SimulatorPages): void;
  /** Keeps the state on disk (soon after a change; at once on close). */
  save(): void;
  close(): Promise<void>;
}

/** True when commerce would run on the simulator: the playground (no platform) without a Stripe key. */
export function wantsPaymentSimulator(config: Pick<Config, "discord" | "slack" | "stripe">): boolean {
  return !config.discord && !config.slack && !config.stripe;
}

/**
 * The guard: simulated payments grant real access on a platform for no money, so they may
 * run only in the playground. Throws a one-line startup error naming the setting otherwise.
 */
export function assertSimulatorAllowed(config: Pick<Config, "discord" | "slack" | "stripe">): void {
  const token = config.discord ? "DISCORD_TOKEN" : config.slack ? "SLACK_BOT_TOKEN" : undefined;
  if (token) throw new StartupError(`Simulated payments run only in the playground, and ${token} is set: set STRIPE_SECRET_KEY (a sk_test_ key for trying) to sell on a platform.`);
  if (config.stripe) throw new StartupError("Simulated payments are not used when STRIPE_SECRET_KEY is set: Guildhall talks to Stripe instead.");
}

/**
 * Starts the simulator on 127.0.0.1 (never another interface). Its clock follows Guildhall's,
 * so moving the playground clock expires checkout links as Stripe would.
 */
export async function startPaymentSimulator(config: Pick<Config, "discord" | "slack" | "stripe">, clock: Clock, opts: { stateFile?: string } = {}): Promise<PaymentSimulator> {
  assertSimulatorAllowed(config);
  const core = new FakeCore(clock.now().getTime() / 1000);
  const savedPort = opts.stateFile ? restoreState(opts.stateFile, core) : undefined;
  let pages: SimulatorPages = () => false;
  const api = createListener({
    core,
    routes: [...catalogRoutes, ...promotionRoutes, ...checkoutRoutes, ...billingRoutes],
    failures: [],
    rejectedKeys: new Set(),
    pages: (method, path, res, form) => pages(method, path, res, form),
  });
  let saving: NodeJS.Immediate | undefined;
  const save = () => {
    if (!opts.stateFile || saving) return;
    saving = setImmediate(() => {
      saving = undefined;
      saveState(opts.stateFile!, core, port);
    });
  };
  const server = createServer((req, res) => {
    syncClock(core, clock);
    res.on("finish", save);
    api(req, res);
  });
  // The port of the last run when it is free, so links given then still open.
  const port = await listenOn(server, savedPort).catch(() => listenOn(server, 0));
  core.baseUrl = `http://127.0.0.1:${port}`;
  const secretKey = `sk_test_simulated_${randomBytes(12).toString("hex")}`;
  return {
    stripe: createStripeClient({ secretKey, apiUrl: core.baseUrl }),
    webhookSecret: `whsec_simulated_${randomBytes(24).toString("hex")}`,
    core,
    url: core.baseUrl,
    servePages: (p) => void (pages = p),
    save,
    close: () =>
      new Promise<void>((resolve) => {
        if (saving) clearImmediate(saving);
        saving = undefined;
        if (opts.stateFile) saveState(opts.stateFile, core, port);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function listenOn(server: Server, port = 0): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Moves the simulator's clock up to Guildhall's (never back), expiring checkout sessions due by then. */
export function syncClock(core: FakeCore, clock: Clock): void {
  const now = Math.floor(clock.now().getTime() / 1000);
  if (now <= core.now()) return;
  core.setNow(now);
  expireDueSessions(core);
}
