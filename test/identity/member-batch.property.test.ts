// Property: lookups that arrive together share one member statement (IdentityService batches
// them), and whatever the mix (the same interaction twice, the same newcomer twice, known and
// new people, claims another process already took, lookups without a claim), each holds what
// one lookup at a time would give: every interaction key is won by exactly one delivery unless
// it was taken before, then by none; a lost delivery writes nothing; each person ends with
// exactly one member and one account, the same for every delivery that found them, a known
// person keeps theirs; a lookup without a claim always finds its member.
// Replay: FC_SEED=<seed printed below> npx vitest run test/identity/member-batch.property.test.ts
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/core/services.js";
import { Claims } from "../../src/db/claims.js";
import { IdentityService, type MemberInfo } from "../../src/identity/identity-service.js";
import { backends, freshDatabase, type TestDatabase } from "../support/databases.js";
import { acmeCommunity, GUILD } from "../support/discord.js";

const SEED = process.env.FC_SEED === undefined ? Date.now() ^ (Math.random() * 0x7fffffff) : Number(process.env.FC_SEED);
const RUNS = Number(process.env.FC_RUNS ?? 25);
const PEOPLE = 4;
const KEYS = 5;

interface Lookup {
  readonly person: number;
  /** The interaction's key, or none (memberFor). */
  readonly key: number | null;
  readonly name: string;
}

const lookup: fc.Arbitrary<Lookup> = fc.record({
  person: fc.integer({ min: 0, max: PEOPLE - 1 }),
  key: fc.option(fc.integer({ min: 0, max: KEYS - 1 }), { nil: null, freq: 4 }),
  name: fc.constantFrom("Ada", "Ada L.", "Grace"),
});
const story = fc.record({
  /** Who is a member before the lookups. */
  known: fc.uniqueArray(fc.integer({ min: 0, max: PEOPLE - 1 }), { maxLength: PEOPLE }),
  /** Keys another process claimed before. */
  taken: fc.uniqueArray(fc.integer({ min: 0, max: KEYS - 1 }), { maxLength: 2 }),
  lookups: fc.array(lookup, { minLength: 1, maxLength: 14 }),
});

describe.each(backends())("batched member lookups on %s", (kind) => {
  let database: TestDatabase;
  let identity: IdentityService;
  let communityId: string;
  let run = 0;
  beforeAll(async () => {
    database = await freshDatabase(kind);
    identity = new IdentityService(database.prisma, [acmeCommunity()], systemClock);
    communityId = (await identity.communityFor("discord", { id: GUILD, name: "Acme" })).id;
  });
  afterAll(() => database?.dispose());

  it(`hold what one lookup at a time would give, for ${RUNS} generated mixes (seed ${SEED})`, { timeout: 300_000 }, async () => {
    console.info(`member batch property on ${kind}: FC_SEED=${SEED}, ${RUNS} runs`);
    await fc.assert(
      fc.asyncProperty(story, async ({ known, taken, lookups }) => {
        run += 1; // each story has people and keys of its own
        const person = (p: number) => `u-${run}-${p}`;
        const key = (k: number) => `interaction:${run}-${k}`;
        const at = new Date("2026-12-07T12:00:00Z");
        const before = new Map<number, string>();
        for (const p of known) before.set(p, (await identity.memberFor(communityId, "discord", { id: person(p), displayName: "Known" })).member.id);
        for (const k of taken) await new Claims(database.prisma).claim(key(k), at);

        const results: (MemberInfo | undefined)[] = await Promise.all(
          lookups.map((l) => {
            const who = { id: person(l.person), displayName: l.name };
            return l.key === null ? identity.memberFor(communityId, "discord", who) : identity.claimAndFindMember(communityId, "discord", who, { key: key(l.key), at });
          }),
        );

        for (let k = 0; k < KEYS; k++) {
          const winners = lookups.filter((l, i) => l.key === k && results[i] !== undefined).length;
          const asked = lookups.some((l) => l.key === k);
          expect(winners, `key ${k}`).toBe(asked && !taken.includes(k) ? 1 : 0);
        }
        lookups.forEach((l, i) => l.key === null && expect(results[i], `lookup ${i} without a claim`).toBeDefined());

        for (let p = 0; p < PEOPLE; p++) {
          const accounts = await database.prisma.platformAccount.findMany({ where: { communityId, platform: "discord", externalId: person(p) } });
          const found = lookups.flatMap((l, i) => (l.person === p && results[i] ? [results[i]] : []));
          const shouldExist = before.has(p) || found.length > 0;
          expect(accounts.length, `accounts of person ${p}`).toBe(shouldExist ? 1 : 0);
          if (!shouldExist) continue;
          const account = accounts[0]!;
          if (before.has(p)) expect(account.memberId, `person ${p} keeps their member`).toBe(before.get(p));
          for (const f of found) expect(f, `person ${p}`).toMatchObject({ member: { id: account.memberId }, account: { id: account.id, externalId: person(p) } });
          // A rename comes from one of the person's won lookups; with none, the name stays.
          const names = lookups.filter((l, i) => l.person === p && results[i]).map((l) => l.name);
          expect(names.length === 0 ? ["Known"] : names, `name of person ${p}`).toContain(account.displayName);
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: process.env.FC_SHRINK !== "1" },
    );
  });
});
