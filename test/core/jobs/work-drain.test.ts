// Shutdown hand-over of stored work (issue 15: on SIGTERM a process finishes what it runs
// within its grace and releases its claims at once, so another process continues without
// waiting for the lease to expire). Two work queues on one database stand for two processes;
// the fan-out is the real DeliveryQueue, its messenger a stand-in that takes a few
// milliseconds per message and counts what each member received.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DeliveryQueue } from "../../../src/core/jobs/delivery.js";
import { ScheduledWorkQueue } from "../../../src/core/jobs/scheduled-work.js";
import type { DirectMessenger } from "../../../src/core/platform-services.js";
import { systemClock } from "../../../src/core/services.js";
import { backends, freshDatabase, type TestDatabase } from "../../support/databases.js";
import { quietLogger } from "../../support/logger.js";

const MEMBERS = 40;
/** Long enough that the test would notice a wait for it: the hand-over must not wait for the lease. */
const LEASE_MS = 10 * 60_000;

describe.each(backends())("stored work handed over at shutdown (%s)", (kind) => {
  let database: TestDatabase;
  let members: string[];
  beforeAll(async () => {
    database = await freshDatabase(kind);
    const { id: communityId } = await database.prisma.community.create({ data: { slug: "drain", name: "Drain" } });
    members = [];
    for (let i = 0; i < MEMBERS; i++) {
      const { id } = await database.prisma.member.create({ data: { communityId, displayName: `Member ${i}` } });
      await database.prisma.platformAccount.create({ data: { communityId, memberId: id, platform: "discord", externalId: `user-${i}`, displayName: "Member" } });
      members.push(id);
    }
  });
  afterAll(() => database?.dispose());

  const received = new Map<string, number>();
  const messenger: DirectMessenger = {
    platform: "discord",
    send: async (userId) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      received.set(userId, (received.get(userId) ?? 0) + 1);
      return "sent";
    },
  };

  /** A process: its work queue runs a fan-out of one DM to every member through its own delivery queue. */
  function process(holder: string) {
    const delivery = new DeliveryQueue(database.prisma, { discord: messenger }, {}, quietLogger(), { holder, concurrency: 2 });
    const work = new ScheduledWorkQueue(database.prisma, systemClock, quietLogger(), { holder, leaseMs: LEASE_MS }).register({
      kind: "fanout",
      run: async (item, { signal }) => void (await delivery.sendDirect(members.map((memberId) => ({ key: `${item.key}:${memberId}`, memberId, message: { text: "starts soon" } })), { signal })),
    });
    return work;
  }

  it("a fan-out running when its process stops halts between sends, goes back to pending unclaimed and due, and another process finishes it at once: one DM per member", async () => {
    const key = `drain-${kind}`;
    const a = process("process-a");
    const b = process("process-b");
    await a.schedule(database.prisma, { kind: "fanout", key, runAt: new Date(), payload: {} });
    const running = a.runDue();
    await vi.waitFor(() => expect(received.size).toBeGreaterThanOrEqual(5), { timeout: 30_000 });
    const stoppedAt = performance.now();
    a.stop();
    expect(await running).toBe(0);
    const handedBackMs = performance.now() - stoppedAt;
    const sentByA = received.size;
    expect(sentByA).toBeLessThan(MEMBERS);
    const item = await database.prisma.scheduledWork.findUniqueOrThrow({ where: { key } });
    expect(item).toMatchObject({ status: "pending", lockedBy: null, lockedUntil: null, attempts: 0 });
    expect(item.runAt.getTime()).toBeLessThanOrEqual(Date.now());
    // A stopped process claims nothing more.
    expect(await a.runDue()).toBe(0);

    // The other process's next poll takes it: no lease to wait out.
    expect(await b.runDue()).toBe(1);
    console.info(`work hand-over (${kind}): stopped after ${sentByA} of ${MEMBERS} DMs, item back to pending ${handedBackMs.toFixed(0)} ms after stop, finished by the other process`);
    expect(await database.prisma.scheduledWork.findUniqueOrThrow({ where: { key } })).toMatchObject({ status: "done", attempts: 1 });
    expect(received.size).toBe(MEMBERS);
    expect([...received.values()].every((n) => n === 1)).toBe(true);
    expect(await database.prisma.delivery.count({ where: { key: { startsWith: `${key}:` }, status: "sent" } })).toBe(MEMBERS);
    received.clear();
  });
});
