// A Guildhall process SIGKILLed while it runs commands it has deferred (issue 15: "no
// interaction claimed by a dead process is left unanswered when the platform would still accept
// an answer"). Two real processes, `guildhall start`, on one PostgreSQL database and one shard
// of the fake Discord; the first holds the shard and so receives every interaction. The test
// makes its commands slow by holding what they wait for: a lock on the ledger table (/thanks
// waits to write its row) and the fake's answer to posting the question (/ask). Rules:
// - a deferred /thanks (resumable: its ledger row is keyed by the interaction id) is run again
//   by the surviving process and its deferred response edited with the answer, exactly once:
//   one callback, one edit, one kudos row of the configured points;
// - a deferred /ask (not safe to run again: a second run would open a second thread) is
//   answered once by the survivor, saying it was interrupted;
// - a /thanks claimed but not yet deferred when the holder died cannot be answered (Discord's
//   3 s have passed): no answer, no effect, counted as lost;
// - the survivor's guildhall_interactions_recovered_total counts each once.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeDiscord, type FakeUser, type SentInteraction, startFakeDiscord } from "../fakes/discord/index.js";
import { freshDatabase, testDatabaseUrl, type TestDatabase } from "../support/databases.js";
import { type GuildhallProcess, GuildhallProcesses, guildhallEnv } from "../support/guildhall-process.js";

const GUILD = "16777216";
const GENERAL = "300000000000000001";
const HELP = "300000000000000011";
const ADA: FakeUser = { id: "500000000000000001", username: "ada" };
const GRACE: FakeUser = { id: "500000000000000002", username: "grace" };
const LINUS: FakeUser = { id: "500000000000000003", username: "linus" };
/** Points one /thanks gives, as configured below. */
const THANKS_POINTS = 3;
type Bot = GuildhallProcess;

describe.skipIf(!testDatabaseUrl())("interactions a killed process deferred", () => {
  let fake: FakeDiscord;
  let database: TestDatabase;
  let env: Record<string, string | undefined>;
  const processes = new GuildhallProcesses(() => env);
  let lock: pg.Client | undefined;

  const startBot = (): Promise<Bot> => processes.start();
  const healthOf = async (bot: Bot) => (await (await fetch(`http://127.0.0.1:${bot.port}/healthz`)).json()) as { status: string; discordShards: number[] };
  const recovered = async (bot: Bot) => {
    const text = await (await fetch(`http://127.0.0.1:${bot.port}/metrics`)).text();
    const count = (outcome: string) => Number(new RegExp(`^guildhall_interactions_recovered_total\\{outcome="${outcome}"\\} (\\d+)$`, "m").exec(text)?.[1] ?? 0);
    return { answered: count("answered"), interrupted: count("interrupted"), lost: count("lost"), expired: count("expired") };
  };
  const callbacksOf = (i: SentInteraction) => fake.calls.filter((c) => c.path === `/interactions/${i.id}/${i.token}/callback`);
  /** Answers sent through the interaction's webhook: edits of the deferral, follow-ups. */
  const webhookAnswers = (i: SentInteraction) => fake.calls.filter((c) => c.path.startsWith(`/webhooks/${fake.applicationId}/${i.token}`) && (c.method === "PATCH" || c.method === "POST"));
  const claimState = async (i: SentInteraction) =>
    (await database.prisma.interactionClaim.findUnique({ where: { key: `interaction:discord:${i.id}` }, select: { state: true } }))?.state;

  beforeAll(async () => {
    fake = await startFakeDiscord({
      guilds: [{ id: GUILD, name: "Guild", channels: [{ id: GENERAL, name: "general" }, { id: HELP, name: "help" }], members: [ADA, GRACE, LINUS].map((user) => ({ user })) }],
    });
    database = await freshDatabase("postgres");
    if (database.target.kind !== "postgres") throw new Error("PostgreSQL only");
    const thanks = { points: THANKS_POINTS, perGiverPerDay: 100, perReceiverPerDay: 100, perPairPerWeek: 100, minMemberAgeHours: 0 };
    env = guildhallEnv({ databaseUrl: database.target.url, discordApiUrl: fake.apiUrl, logLevel: "info", communities: [{ slug: "c", name: "Community", discord: { guildId: GUILD, creatorRoleIds: [] }, points: { thanks }, qa: { helpChannels: { discord: HELP } } }] });
  }, 60_000);
  afterAll(async () => {
    await lock?.end().catch(() => undefined);
    await processes.killAll();
    await database?.dispose();
    await fake?.close();
  });

  it("the survivor answers each deferred interaction once, runs /thanks again and says /ask was interrupted; one never deferred is counted lost", { timeout: 240_000 }, async () => {
    const holder = await startBot();
    const survivor = await startBot();
    await expect.poll(async () => [(await healthOf(holder)).discordShards, (await healthOf(survivor)).discordShards], { timeout: 30_000 }).toEqual([[0], []]);
    // The three are members before the commands that matter (a member's first command creates them).
    for (const user of [ADA, GRACE, LINUS]) {
      const sent = fake.sendSlashCommand({ guildId: GUILD, channelId: GENERAL, user, name: "points" });
      await fake.waitForCall((c) => c.path === `/interactions/${sent.id}/${sent.token}/callback`, 30_000);
    }

    // /thanks waits for the ledger table; /ask waits for its question to be posted.
    lock = new pg.Client({ connectionString: database.target.kind === "postgres" ? database.target.url : "" });
    await lock.connect();
    await lock.query(`BEGIN; LOCK TABLE "PointEntry" IN SHARE ROW EXCLUSIVE MODE`);
    const releasePost = fake.holdNext((c) => c.method === "POST" && c.path.startsWith(`/channels/${HELP}/`));
    const thanks = fake.sendSlashCommand({ guildId: GUILD, channelId: GENERAL, user: ADA, name: "thanks", options: [{ name: "member", type: 6, value: GRACE.id }], resolvedUsers: [GRACE] });
    const ask = fake.sendSlashCommand({
      guildId: GUILD,
      channelId: GENERAL,
      user: LINUS,
      name: "ask",
      options: [
        { name: "title", type: 3, value: "Why does my future not pin?" },
        { name: "details", type: 3, value: "Box::pin gives me a lifetime error." },
      ],
    });
    await expect.poll(async () => [await claimState(thanks), await claimState(ask)], { timeout: 30_000, interval: 50 }).toEqual(["deferred", "deferred"]);
    // The deferral is recorded beside the callback that makes it: wait for the callbacks too.
    for (const i of [thanks, ask]) await fake.waitForCall((c) => c.path === `/interactions/${i.id}/${i.token}/callback`, 30_000);
    expect(callbacksOf(thanks).map((c) => c.body.type)).toEqual([5]);
    expect(callbacksOf(ask).map((c) => c.body.type)).toEqual([5]);

    // A third one is killed with its holder as soon as it is claimed, well before its 1.5 s deferral.
    const late = fake.sendSlashCommand({ guildId: GUILD, channelId: GENERAL, user: GRACE, name: "thanks", options: [{ name: "member", type: 6, value: LINUS.id }], resolvedUsers: [LINUS] });
    await expect.poll(() => claimState(late), { timeout: 30_000, interval: 10 }).toBe("claimed");
    holder.child.kill("SIGKILL");
    await holder.exited;
    const killedAt = Date.now();
    const lateDeferred = callbacksOf(late).length > 0;
    // The dead process's transaction is rolled back once PostgreSQL notices; then the ledger is free again.
    await lock.query("COMMIT");
    releasePost();

    // The survivor answers the deferred two once their holder's lease has lapsed.
    const edited = await fake.waitForCall((c) => c.method === "PATCH" && c.path === `/webhooks/${fake.applicationId}/${thanks.token}/messages/@original`, 90_000);
    console.info(`the deferred /thanks was answered by the other process ${Date.now() - killedAt} ms after the SIGKILL`);
    expect(edited.body.content).toBe(`🙏 **ada** thanked <@${GRACE.id}> (+${THANKS_POINTS} points)\n🤝 **grace** earned the **First thanks** badge for being thanked by another member for the first time!`);
    await expect.poll(() => webhookAnswers(ask).some((c) => String(c.body?.content).includes("stopped before it could answer")), { timeout: 30_000 }).toBe(true);
    await expect.poll(async () => (await recovered(survivor)).lost, { timeout: 30_000 }).toBe(lateDeferred ? 0 : 1);
    await new Promise((resolve) => setTimeout(resolve, 5_000)); // room for a second, wrong answer

    // Exactly once: one callback each (the dead process's deferral), one answer each.
    expect(callbacksOf(thanks)).toHaveLength(1);
    expect(webhookAnswers(thanks)).toHaveLength(1);
    expect(callbacksOf(ask)).toHaveLength(1);
    expect(webhookAnswers(ask)).toHaveLength(1);
    // Every effect once: the resumed /thanks wrote its row, the one never deferred wrote nothing, /ask no question.
    const kudos = await database.prisma.pointEntry.findMany({ where: { category: "kudos" } });
    expect(kudos.map((k) => [k.idempotencyKey, k.amount])).toEqual(lateDeferred ? expect.anything() : [[`thanks:discord:${thanks.id}`, THANKS_POINTS]]);
    expect(await database.prisma.question.count()).toBe(0);
    expect(await recovered(survivor)).toEqual({ answered: 1, interrupted: 1, lost: lateDeferred ? 0 : 1, expired: 0 });
    expect([await claimState(thanks), await claimState(ask), await claimState(late)]).toEqual(["answered", "answered", lateDeferred ? "answered" : "lost"]);
    if (lateDeferred) console.warn("the third /thanks was deferred before the kill: it was answered like the first, and nothing was counted lost");
    expect(survivor.output()).not.toMatch(/already been acknowledged|could not answer/);
  });
});
