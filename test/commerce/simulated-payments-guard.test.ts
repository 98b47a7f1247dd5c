import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningApp, startApp } from "../../src/app.js";
import { startPaymentSimulator, wantsPaymentSimulator } from "../../src/commerce/simulated/index.js";
import { loadConfig } from "../../src/config/config.js";
import { describeFailure } from "../../src/config/startup-failure.js";
import { systemClock } from "../../src/core/services.js";
import type { FakeDiscord } from "../fakes/discord/index.js";
import { type FakeStripe, startFakeStripe } from "../fakes/stripe/index.js";
import { startPlaygroundApp, testConfig } from "../support/app.js";
import { acmeCommunity, startAcmeDiscord } from "../support/discord.js";
import { quietLogger } from "../support/logger.js";
import { settingsSections } from "../../src/capabilities.js";

/**
 * Issue 10: "The simulation exists only in the playground: it can never be active when a
 * Discord or Slack token is set". And with a real STRIPE_SECRET_KEY it is never used.
 */
const discordToken = fc.constantFrom(undefined, "abc.def.ghi");
const slack = fc.constantFrom(
  {},
  { SLACK_BOT_TOKEN: "xoxb-1-2", SLACK_APP_TOKEN: "xapp-1-2" },
  { SLACK_BOT_TOKEN: "xoxb-1-2", SLACK_SIGNING_SECRET: "0123456789abcdef0123" },
);
const stripeKey = fc.constantFrom(undefined, "sk_test_abc", "sk_live_abc", "rk_test_abc");

describe("the simulated payment provider's guard", () => {
  it("is never wanted, and refuses to start in one line naming the token, whenever a platform token is set", async () => {
    const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
    console.log(`simulated-payments guard: fast-check seed ${seed} (replay with FC_SEED=${seed})`);
    await fc.assert(
      fc.asyncProperty(discordToken, slack, stripeKey, async (discord, slackEnv, key) => {
        fc.pre(discord !== undefined || "SLACK_BOT_TOKEN" in slackEnv);
        const env: Record<string, string> = { ...slackEnv, ...(discord ? { DISCORD_TOKEN: discord } : {}), ...(key ? { STRIPE_SECRET_KEY: key } : {}) };
        const config = loadConfig(env, settingsSections);
        expect(wantsPaymentSimulator(config)).toBe(false);
        const refused = await startPaymentSimulator(config, systemClock).then(() => undefined, (error: unknown) => error);
        const line = describeFailure(refused);
        expect(line).not.toContain("\n");
        expect(line).toContain(discord ? "DISCORD_TOKEN" : "SLACK_BOT_TOKEN");
        expect(line).toContain("Simulated payments run only in the playground");
      }),
      { seed, numRuns: 40 },
    );
  });

  it("is wanted in the playground without a Stripe key, and never with one", async () => {
    expect(wantsPaymentSimulator(loadConfig({}, settingsSections))).toBe(true);
    const withKey = loadConfig({ STRIPE_SECRET_KEY: "sk_test_abc" }, settingsSections);
    expect(wantsPaymentSimulator(withKey)).toBe(false);
    await expect(startPaymentSimulator(withKey, systemClock)).rejects.toThrow("Simulated payments are not used when STRIPE_SECRET_KEY is set");
  });
});

describe("Guildhall connected to Discord", () => {
  let fake: FakeDiscord;
  let app: RunningApp;
  beforeAll(async () => {
    fake = await startAcmeDiscord();
    app = await startApp({ config: { ...testConfig({ DISCORD_TOKEN: "fake.discord.token", DISCORD_API_URL: fake.apiUrl }), communities: [acmeCommunity()] }, log: quietLogger() });
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  it("has no simulated payments, no /pay and no /refund", () => {
    expect(app.services.simulatedPayments).toBeUndefined();
    expect(app.services.stripe).toBeUndefined();
    expect(app.services.registry.get("pay")).toBeUndefined();
    expect(app.services.registry.get("refund")).toBeUndefined();
  });
});

describe("the playground with a sk_test_ key", () => {
  let stripe: FakeStripe;
  let pg: Awaited<ReturnType<typeof startPlaygroundApp>>;
  beforeAll(async () => {
    stripe = await startFakeStripe();
    pg = await startPlaygroundApp({ config: testConfig({ STRIPE_SECRET_KEY: "sk_test_guildhall", STRIPE_API_URL: stripe.url }) });
  });
  afterAll(async () => {
    await pg?.end();
    await stripe?.close();
  });

  it("talks to Stripe (test mode), not the simulator: no /pay, no simulated label", async () => {
    expect(pg.app.services.simulatedPayments).toBeUndefined();
    expect(await pg.type("/courses")).not.toContain("simulated");
    expect(await pg.type("/pay")).toContain("There is no /pay command");
  });
});
