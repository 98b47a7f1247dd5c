// Access changes a platform refused or that failed, kept until they succeed. Each is retried
// at once when the platform signals its cause may be gone, otherwise with growing waits; and
// admins hear of each problem once (per member, target and cause) until it is fixed or a day
// has passed, then once more when it is fixed.
import type { Clock } from "../core/services.js";
import type { Db } from "../db/database.js";
import type { Logger } from "../log/logger.js";
import type { AccessFailure, AdminLog } from "../core/platform-services.js";

/** A problem is retried after 1, 2, 4 … minutes, never waiting longer than a day. */
const FIRST_RETRY_MS = 60_000;
const MAX_RETRY_MS = 24 * 60 * 60 * 1000;
/** A problem still open after this long is told to admins again. */
const RENOTIFY_MS = 24 * 60 * 60 * 1000;

/** One sync's outcome on one platform, for the problems it settles. */
export interface SyncOutcome {
  readonly communityId: string;
  readonly memberId: string;
  readonly memberName: string;
  readonly platform: "discord" | "slack";
  readonly spaceId: string;
  /** Everything the sync made sure of: targets granted or already held, revoked or already gone. */
  readonly attempted: readonly { readonly target: string; readonly action: "grant" | "revoke" }[];
  readonly failures: readonly AccessFailure[];
  /** The catalog item a target belongs to, for "Guild Pass granted to Ada; fixed". */
  readonly itemTitle: (target: string) => string | undefined;
}

export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
}

export class AccessProblems {
  constructor(
    private readonly db: Db,
    private readonly adminLog: AdminLog | undefined,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Records the failures, resolves what now holds, and tells admins what is new or fixed. */
  async settle(outcome: SyncOutcome): Promise<void> {
    const now = this.clock.now();
    const open = await this.db.accessProblem.findMany({ where: { memberId: outcome.memberId, platform: outcome.platform } });
    for (const failure of outcome.failures) {
      const existing = open.find((p) => p.target === failure.target && p.action === failure.action);
      const reopened = !existing || existing.resolvedAt !== null;
      const attempts = reopened ? 1 : existing.attempts + 1;
      const due = !existing || reopened || existing.notifiedAt === null || existing.notifiedKind !== failure.kind || now.getTime() - existing.notifiedAt.getTime() >= RENOTIFY_MS;
      const data = {
        communityId: outcome.communityId,
        spaceId: outcome.spaceId,
        targetName: failure.targetName ?? existing?.targetName ?? null,
        kind: failure.kind,
        reason: failure.reason,
        fix: failure.fix,
        attempts,
        nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)),
        resolvedAt: null,
        ...(due ? { notifiedAt: now, notifiedKind: failure.kind } : {}),
      };
      await this.db.accessProblem.upsert({
        where: { memberId_platform_target_action: { memberId: outcome.memberId, platform: outcome.platform, target: failure.target, action: failure.action } },
        create: { memberId: outcome.memberId, platform: outcome.platform, target: failure.target, action: failure.action, ...data },
        update: reopened ? { ...data, notifiedAt: now, notifiedKind: failure.kind } : data,
      });
      if (due) {
        const label = labelOf(failure.target, data.targetName, outcome.platform);
        const verb = failure.action === "grant" ? `give ${outcome.memberName} ${label}` : `remove ${label} from ${outcome.memberName}`;
        await this.#tell(outcome, `Could not ${verb}: ${failure.reason}. Fix: ${failure.fix} Guildhall retries by itself once it is fixed.`);
      }
    }

    const failing = new Set(outcome.failures.map((f) => `${f.action} ${f.target}`));
    const held = new Set(outcome.attempted.map((a) => `${a.action} ${a.target}`));
    for (const problem of open) {
      if (problem.resolvedAt !== null || failing.has(`${problem.action} ${problem.target}`)) continue;
      await this.db.accessProblem.update({ where: { id: problem.id }, data: { resolvedAt: now } });
      // A problem that is moot now (access was refunded while its grant failed) ends quietly.
      if (!held.has(`${problem.action} ${problem.target}`) || problem.notifiedAt === null) continue;
      const item = outcome.itemTitle(problem.target) ?? labelOf(problem.target, problem.targetName, outcome.platform);
      const done = problem.action === "grant" ? `${item} granted to ${outcome.memberName}` : `${item} removed from ${outcome.memberName}`;
      await this.#tell(outcome, `${done}; fixed.`);
    }
  }

  /** Members with an open problem due for another try. */
  async due(): Promise<string[]> {
    const rows = await this.db.accessProblem.findMany({ where: { resolvedAt: null, nextAttemptAt: { lte: this.clock.now() } }, select: { memberId: true }, distinct: ["memberId"] });
    return rows.map((r) => r.memberId);
  }

  /** Members with an open problem in one guild or workspace (its cause may be gone now). */
  async inSpace(platform: "discord" | "slack", spaceId: string, target?: string): Promise<string[]> {
    const rows = await this.db.accessProblem.findMany({
      where: { resolvedAt: null, platform, spaceId, ...(target === undefined ? {} : { target }) },
      select: { memberId: true },
      distinct: ["memberId"],
    });
    return rows.map((r) => r.memberId);
  }

  async #tell(outcome: SyncOutcome, message: string): Promise<void> {
    if (!this.adminLog) return void this.log.warn({ member: outcome.memberId, report: message }, "access problem (no admin log)");
    await this.adminLog.report(outcome.platform, outcome.spaceId, message);
  }
}

/** A role or channel as admins know it: its name, else a mention the platform renders. */
function labelOf(target: string, name: string | null | undefined, platform: "discord" | "slack"): string {
  if (name) return platform === "discord" ? `the ${name} role` : name;
  return platform === "discord" ? `the role <@&${target}>` : `<#${target}>`;
}
