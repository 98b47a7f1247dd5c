// Three Guildhall processes on one Discord token and one PostgreSQL database (issue 15), each
// `guildhall start` as a user runs it, against the fake Discord, which sends every gateway
// event to every session connected on the event's shard, as Discord does. Two shards over
// three processes; the second and third process start while commands are arriving, so shards
// change hands mid-run (the process offering a shard stays connected until the new holder has
// it, and both hear its events meanwhile). Rules from the issue and the README:
// - every interaction is answered exactly once: one callback, and a deferred one is completed;
//   no "Interaction has already been acknowledged" anywhere;
// - every effect happens once: one kudos row per /thanks (keyed `thanks:discord:<interaction id>`)
//   of the configured points, each balance equal to its ledger rows and to points × thanks
//   received; one question per /ask; each thread message counted once in its question's replies.
// Slow (three processes start, 1,500 events): load project only, on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeDiscord, type FakeUser, type SentInteraction, startFakeDiscord } from "../fakes/discord/index.js";
import { freshDatabase, testDatabaseUrl, type TestDatabase } from "../support/databases.js";
import { type GuildhallProcess, GuildhallProcesses, guildhallEnv } from "../support/guildhall-process.js";

/** 4 << 22 and 5 << 22: of two shards, the first guild is shard 0's and the second shard 1's. */
const GUILDS = [
  { id: "16777216", general: "300000000000000001", help: "300000000000000011", shard: 0 },
  { id: "20971520", general: "300000000000000002", help: "300000000000000012", shard: 1 },
];
const MEMBERS: FakeUser[] = Array.from({ length: 30 }, (_, i) => ({ id: String(500000000000000100n + BigInt(i)), username: `member${i}` }));
/** Points one /thanks gives, as configured below (README: `points.thanks.points`). */
const THANKS_POINTS = 3;
const INTERACTIONS = 1000;
const THREAD_MESSAGES = 500;
const QUESTIONS = 10;
const THANKS = 600;
/** Interactions sent and not yet called back at any moment. */
const IN_FLIGHT = 30;
type Bot = GuildhallProcess;

/** What the test sends, decided before anything runs, and the expected effects derived from it. */
type Planned =
  | { kind: "ask"; guild: number; asker: number; title: string }
  | { kind: "thanks"; guild: number; giver: number; receiver: number }
  | { kind: "points" | "help"; guild: number; user: number };

function plan(): Planned[] {
  const planned: Planned[] = [];
  for (let q = 0; q < QUESTIONS; q++) planned.push({ kind: "ask", guild: q % 2, asker: q, title: `How do I pin future number ${q}?` });
  for (let t = 0; t < THANKS; t++) {
    const giver = t % MEMBERS.length;
    planned.push({ kind: "thanks", guild: t % 2, giver, receiver: (giver + 1 + (t % 7)) % MEMBERS.length });
  }
  for (let r = planned.length; r < INTERACTIONS; r++) planned.push({ kind: r % 2 === 0 ? "points" : "help", guild: r % 2, user: r % MEMBERS.length });
  // The questions first (their threads take the messages); the rest interleaved.
  const [asks, rest] = [planned.slice(0, QUESTIONS), planned.slice(QUESTIONS)];
  for (let i = rest.length - 1; i > 0; i--) {
    const j = (i * 7919) % (i + 1);
    [rest[i], rest[j]] = [rest[j]!, rest[i]!];
  }
  return [...asks, ...rest];
}

describe.skipIf(!testDatabaseUrl())("three Guildhall processes on one token", () => {
  let fake: FakeDiscord;
  let database: TestDatabase;
  let env: Record<string, string | undefined>;
  const processes = new GuildhallProcesses(() => env);

  const startBot = (): Promise<Bot> => processes.start();

  beforeAll(async () => {
    fake = await startFakeDiscord({
      shards: 2,
      guilds: GUILDS.map((g) => ({
        id: g.id,
        name: g.id,
        channels: [
          { id: g.general, name: "general" },
          { id: g.help, name: "help" },
        ],
        members: MEMBERS.map((user) => ({ user })),
      })),
    });
    database = await freshDatabase("postgres");
    if (database.target.kind !== "postgres") throw new Error("PostgreSQL only");
    // Thanks without the caps and the new-member wait, so every planned /thanks is accepted.
    const thanks = { points: THANKS_POINTS, perGiverPerDay: 1000, perReceiverPerDay: 1000, perPairPerWeek: 1000, minMemberAgeHours: 0 };
    env = guildhallEnv({
      databaseUrl: database.target.url,
      discordApiUrl: fake.apiUrl,
      communities: GUILDS.map((g, i) => ({
        slug: `c${i}`,
        name: `Community ${i}`,
        discord: { guildId: g.id, creatorRoleIds: [] },
        points: { thanks },
        qa: { helpChannels: { discord: g.help } },
      })),
    });
  }, 60_000);
  afterAll(async () => {
    await processes.killAll();
    await database?.dispose();
    await fake?.close();
  });

  it("1,000 interactions and 500 thread messages: each interaction answered once, each effect once", { timeout: 600_000 }, async () => {
    await startBot();
    const planned = plan();
    const sent: { planned: Planned; interaction: SentInteraction; sessions: number }[] = [];
    const sessionsOn = (shard: number) => fake.identifiedShards().filter(([id]) => id === shard).length;
    const callbackOf = (i: SentInteraction) => `/interactions/${i.id}/${i.token}/callback`;

    function send(p: Planned): SentInteraction {
      const guild = GUILDS[p.guild]!;
      const at = { guildId: guild.id, channelId: guild.general };
      switch (p.kind) {
        case "ask":
          return fake.sendSlashCommand({
            ...at,
            user: MEMBERS[p.asker]!,
            name: "ask",
            options: [
              { name: "title", type: 3, value: p.title },
              { name: "details", type: 3, value: "Box::pin gives me a lifetime error when I return it from a trait method." },
            ],
          });
        case "thanks":
          return fake.sendSlashCommand({ ...at, user: MEMBERS[p.giver]!, name: "thanks", options: [{ name: "member", type: 6, value: MEMBERS[p.receiver]!.id }], resolvedUsers: [MEMBERS[p.receiver]!] });
        default:
          return fake.sendSlashCommand({ ...at, user: MEMBERS[p.user]!, name: p.kind });
      }
    }

    // Thread messages go out beside the interactions once the questions exist, from members
    // other than the asker (an asker's own messages are not replies).
    const messagesPerQuestion = new Map<string, number>();
    const messagesBy = new Map<string, number>();
    async function postMessages(): Promise<void> {
      const threads = GUILDS.flatMap((g) => fake.state.threadsOf(g.help).map((t) => ({ guild: g, thread: t.id })));
      expect(threads).toHaveLength(QUESTIONS);
      const askerOf = new Map((await database.prisma.$queryRaw<{ threadId: string; externalId: string }[]>`
        SELECT q."threadId", a."externalId" FROM "Question" q JOIN "PlatformAccount" a ON a."memberId" = q."askerId"`).map((q) => [q.threadId, q.externalId]));
      for (let m = 0; m < THREAD_MESSAGES; m++) {
        const { thread } = threads[m % threads.length]!;
        let author = MEMBERS[(m * 13) % MEMBERS.length]!;
        if (author.id === askerOf.get(thread)) author = MEMBERS[(m * 13 + 1) % MEMBERS.length]!;
        fake.sendUserMessage({ channelId: thread, user: author, content: `Try Box::pin, attempt ${m}` });
        messagesPerQuestion.set(thread, (messagesPerQuestion.get(thread) ?? 0) + 1);
        messagesBy.set(`${thread}:${author.id}`, (messagesBy.get(`${thread}:${author.id}`) ?? 0) + 1);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }

    // The other two processes join while commands arrive: shards move between processes mid-run.
    const joining: Promise<Bot>[] = [];
    let next = 0;
    const worker = async () => {
      for (;;) {
        const index = next++;
        if (index >= planned.length) return;
        if (index === 150 || index === 300) joining.push(startBot());
        const p = planned[index]!;
        const sessions = sessionsOn(GUILDS[p.guild]!.shard);
        const interaction = send(p);
        sent.push({ planned: p, interaction, sessions });
        // One that is never answered is reported below with the sessions that heard it, not here.
        await fake.waitForCall((c) => c.path === callbackOf(interaction), 60_000).catch(() => undefined);
      }
    };
    // The questions first, one at a time, so their threads exist before the messages start.
    for (let q = 0; q < QUESTIONS; q++) {
      const p = planned[next++]!;
      const interaction = send(p);
      sent.push({ planned: p, interaction, sessions: sessionsOn(GUILDS[p.guild]!.shard) });
      await fake.waitForCall((c) => c.path === callbackOf(interaction), 60_000);
    }
    const messages = postMessages();
    const started = Date.now();
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    await messages;
    const bots3 = await Promise.all(joining);
    console.info(`${INTERACTIONS} interactions sent in ${Date.now() - started} ms; ${sent.filter((s) => s.sessions > 1).length} of them heard by two sessions at once`);
    expect(bots3).toHaveLength(2);
    // Three processes share the two shards: each shard is connected by exactly one of them.
    await expect.poll(() => [sessionsOn(0), sessionsOn(1)], { timeout: 30_000 }).toEqual([1, 1]);

    // Every deferred interaction gets its answer (the deferral's message edited), then nothing more arrives.
    const deferred = () => sent.filter((s) => fake.calls.some((c) => c.path === callbackOf(s.interaction) && c.body?.type === 5));
    const completed = (s: (typeof sent)[number]) => fake.calls.some((c) => c.path.includes(`/${s.interaction.token}`) && c.method !== "GET" && !c.path.endsWith("/callback"));
    await expect.poll(() => deferred().filter((s) => !completed(s)).length, { timeout: 60_000 }).toBe(0);
    // Thread messages: all counted (the sum of replies reaches what was sent).
    const replies = async () => (await database.prisma.question.aggregate({ _sum: { replyCount: true } }))._sum.replyCount ?? 0;
    await expect.poll(replies, { timeout: 60_000, interval: 500 }).toBe(THREAD_MESSAGES);
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // room for a second, wrong answer or count

    // Answered exactly once.
    expect(sent).toHaveLength(INTERACTIONS);
    const unanswered = sent.filter((s) => !fake.calls.some((c) => c.path === callbackOf(s.interaction)));
    expect(unanswered.map((s) => ({ ...s.planned, sessionsOnItsShardWhenSent: s.sessions }))).toEqual([]);
    const callbacks = new Map<string, number>();
    for (const c of fake.calls) if (c.path.endsWith("/callback")) callbacks.set(c.path, (callbacks.get(c.path) ?? 0) + 1);
    expect(sent.filter((s) => callbacks.get(callbackOf(s.interaction)) !== 1)).toEqual([]);
    expect(fake.calls.filter((c) => (c.response?.body as { code?: number } | undefined)?.code === 40060)).toEqual([]);
    for (const bot of processes.all) expect(bot.output()).not.toMatch(/already been acknowledged|could not answer an interaction/);
    // Each interaction's claim ends answered (deferred or not), so none would be picked up if its process died now.
    const states = await database.prisma.$queryRaw<{ state: string; n: number }[]>`
      SELECT "state", count(*)::int AS "n" FROM "InteractionClaim" WHERE "key" LIKE 'interaction:discord:%' GROUP BY "state"`;
    expect(states).toEqual([{ state: "answered", n: INTERACTIONS }]);
    // Nobody died: no process took another's interactions over or gave any up (guildhall_interactions_recovered_total).
    for (const bot of processes.all) {
      const metrics = await (await fetch(`http://127.0.0.1:${bot.port}/metrics`)).text();
      expect(metrics).toContain("# TYPE guildhall_interactions_recovered_total counter");
      expect(metrics.match(/^guildhall_interactions_recovered_total\{.*$/gm) ?? []).toEqual([]);
    }
    console.info(`${deferred().length} interactions were deferred and completed later`);

    // Each /thanks once: one kudos row keyed by its interaction, the configured points.
    const thanks = sent.filter((s) => s.planned.kind === "thanks");
    const kudos = await database.prisma.pointEntry.findMany({ where: { category: "kudos" } });
    expect(kudos).toHaveLength(THANKS);
    expect(new Set(kudos.map((k) => k.idempotencyKey))).toEqual(new Set(thanks.map((s) => `thanks:discord:${s.interaction.id}`)));
    expect(kudos.every((k) => k.amount === THANKS_POINTS)).toBe(true);
    // Balances: points × thanks received, per member and community, and equal to the ledger.
    const expected = new Map<string, number>();
    for (const s of thanks) {
      if (s.planned.kind !== "thanks") continue;
      const key = `c${s.planned.guild}:${MEMBERS[s.planned.receiver]!.id}`;
      expected.set(key, (expected.get(key) ?? 0) + THANKS_POINTS);
    }
    const balances = await database.prisma.$queryRaw<{ key: string; balance: number; ledger: number }[]>`
      SELECT c."slug" || ':' || a."externalId" AS "key", b."balance"::int AS "balance",
        (SELECT coalesce(sum(e."amount"), 0)::int FROM "PointEntry" e WHERE e."communityId" = b."communityId" AND e."memberId" = b."memberId") AS "ledger"
      FROM "PointBalance" b JOIN "Community" c ON c."id" = b."communityId"
      JOIN "PlatformAccount" a ON a."memberId" = b."memberId" AND a."platform" = 'discord'
      WHERE b."balance" <> 0`;
    expect(new Map(balances.map((b) => [b.key, b.balance]))).toEqual(expected);
    expect(balances.filter((b) => b.balance !== b.ledger)).toEqual([]);

    // Each /ask once, each thread message counted once where it was posted.
    const questions = await database.prisma.question.findMany();
    expect(questions).toHaveLength(QUESTIONS);
    expect(new Map(questions.map((q) => [q.threadId, q.replyCount]))).toEqual(messagesPerQuestion);
    const replyRows = await database.prisma.$queryRaw<{ key: string; messages: number }[]>`
      SELECT q."threadId" || ':' || a."externalId" AS "key", r."messages" FROM "QuestionReply" r
      JOIN "Question" q ON q."id" = r."questionId" JOIN "PlatformAccount" a ON a."memberId" = r."authorId"`;
    expect(new Map(replyRows.map((r) => [r.key, r.messages]))).toEqual(messagesBy);
  });
});
