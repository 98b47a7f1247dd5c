import { randomUUID } from "node:crypto";
import { Claims } from "../db/claims.js";
import type { Logger } from "../log/logger.js";
import type { LeafCommand } from "./command.js";
import type { CommandContext } from "./context.js";
import { asUserFacing, newErrorId, PermissionError, UserFacingError } from "./errors.js";
import type { MessageRef } from "./chat.js";
import type { Choice } from "./options.js";
import type { Invocation } from "./invocation.js";
import { allows, describeLevel, levelOf, type PermissionLevel } from "./permissions.js";
import { type Reply, reply } from "./reply.js";
import type { Services } from "./services.js";
import { validateOptions } from "./validate-options.js";
import type { MemberActivity } from "./capability.js";
import type { MemberInfo } from "./directory.js";

/** The outcome of one invocation, with what the adapter needs to know about it. */
export interface Outcome {
  readonly reply: Reply;
  /** Set when the handler failed unexpectedly. */
  readonly errorId?: string;
  /**
   * Another process (or an earlier delivery of the same interaction) already claimed it: the
   * handler did not run, and the adapter must neither acknowledge nor answer.
   */
  readonly duplicate?: true;
}

/**
 * Runs invocations from every platform the same way: find the command, identify the
 * community and member, check permission on the server, validate options, call the
 * handler, and turn any error into a reply. It never throws.
 */
export class Dispatcher {
  readonly #claims: Claims;

  constructor(
    private readonly services: Services,
    private readonly log: Logger,
    /** Told each time a member runs a command or presses a button (insights counts active members). */
    private readonly onMemberActive: (activity: MemberActivity) => Promise<void> = async () => undefined,
  ) {
    this.#claims = new Claims(services.db);
  }

  /** The leaf an invocation will run, so adapters can choose how to acknowledge it. */
  leafFor(inv: Pick<Invocation, "command" | "subcommand">): LeafCommand | undefined {
    return this.services.registry.resolve(inv.command, inv.subcommand)?.leaf;
  }

  /**
   * Suggestions for the option being typed. Failures and missing permission yield none:
   * autocomplete is a convenience, and the command itself checks everything again.
   */
  async autocomplete(inv: Invocation, option: string, typed: string): Promise<readonly Choice<string>[]> {
    const leaf = this.leafFor(inv);
    if (!leaf?.autocomplete) return [];
    try {
      const community = await this.services.directory.communityFor(inv.platform, inv.space);
      const level = await levelOf(inv.actor, community.config);
      if (!allows(level, leaf.permission)) return [];
      const { member, account } = await this.services.directory.memberFor(community.id, inv.platform, inv.user);
      const ctx = { platform: inv.platform, community, member, account, space: inv.space, channel: inv.channel, level, services: this.services, log: this.log, now: inv.receivedAt, interactionId: inv.id ?? randomUUID() };
      return (await leaf.autocomplete(ctx, option, typed)).slice(0, 25);
    } catch (error) {
      this.log.warn({ err: error, command: inv.command }, "autocomplete failed");
      return [];
    }
  }

  /**
   * Claims the invocation by its platform id: true for the first delivery, false (logged at
   * debug) for any later one, in this process or another. An invocation without an id is
   * never claimed. `run`, `runAction` and `runMessageCommand` claim by themselves; adapters
   * call this only for what they answer without them (autocomplete).
   */
  async claim(inv: Invocation): Promise<boolean> {
    if (inv.id === undefined || (await this.#claims.claim(claimKey(inv.id), inv.receivedAt))) return true;
    this.#skipped(inv);
    return false;
  }

  #skipped(inv: Invocation): void {
    this.log.debug({ interaction: inv.id, platform: inv.platform, command: inv.command }, "already claimed elsewhere; skipped");
  }

  async run(inv: Invocation, hooks?: RunHooks): Promise<Outcome> {
    return this.#guard(inv, hooks, (log, claim) => this.#run(inv, log, claim));
  }

  /** A button click: `inv.command` names the action; `value` is what the button carried. */
  async runAction(inv: Invocation, value: string, hooks?: RunHooks): Promise<Outcome> {
    return this.#guard(inv, hooks, (log, claim) => this.#runAction(inv, value, log, claim));
  }

  /** A message command: `inv.command` is its id or name; `message` is the message it was run on. */
  async runMessageCommand(inv: Invocation, message: MessageRef, hooks?: RunHooks): Promise<Outcome> {
    return this.#guard(inv, hooks, async (log, claim) => {
      const command = this.services.registry.messageCommand(inv.command);
      if (!command) throw new UserFacingError("That shortcut is no longer available.", "unknown_command");
      const ctx = await this.#context(inv, log, claim, command.permission, `“${command.name}”`, () => ({ message }));
      return command.handler(ctx);
    });
  }

  /**
   * Claims the invocation, then turns every error into a reply: user-facing ones as they are,
   * others with an error id. A lost claim returns a duplicate outcome without running anything.
   */
  async #guard(inv: Invocation, hooks: RunHooks | undefined, work: (log: LazyLogger, claim: PendingClaim) => Promise<Reply>): Promise<Outcome> {
    const started = performance.now();
    const outcome = await this.#answer(inv, hooks, work);
    const kind = outcome.duplicate ? "duplicate" : outcome.errorId ? "error" : outcome.reply.tone === "error" ? "refused" : "ok";
    this.services.metrics.interaction(inv.platform, this.#metricName(inv.command), kind, (performance.now() - started) / 1000);
    return outcome;
  }

  /** A name the metrics may carry: what members type is only used when it names something registered. */
  #metricName(command: string): string {
    const { registry } = this.services;
    return registry.get(command) || registry.action(command) || registry.messageCommand(command) ? command : "unknown";
  }

  async #answer(inv: Invocation, hooks: RunHooks | undefined, work: (log: LazyLogger, claim: PendingClaim) => Promise<Reply>): Promise<Outcome> {
    const log = lazyChild(this.log, () => ({ platform: inv.platform, command: inv.command, subcommand: inv.subcommand, space: inv.space.id, user: inv.user.id }));
    // Claimed with the member lookup when the work gets that far; otherwise before answering.
    const claim: PendingClaim = { taken: inv.id === undefined || hooks?.claimed === true, ...(hooks?.onClaimed ? { onWon: hooks.onClaimed } : {}), ...(hooks?.holder ? { holder: hooks.holder } : {}) };
    if (claim.taken) claim.onWon?.();
    try {
      return { reply: await work(log, claim) };
    } catch (error) {
      if (error instanceof ClaimedElsewhere) {
        this.#skipped(inv);
        return DUPLICATE;
      }
      try {
        if (!claim.taken && !(await this.claim(inv))) return DUPLICATE;
      } catch {
        // The database failed the claim too: answer with the original error below.
      }
      const userFacing = asUserFacing(error);
      if (userFacing) {
        // An explained outside failure (Stripe's key, an outage) is still worth a warning in the logs.
        if (userFacing !== error) log.get().warn({ err: error, code: userFacing.code }, "an outside service failed");
        else log.get().debug({ code: userFacing.code }, "refused with a user-facing error");
        return { reply: reply.ephemeral(userFacing.message, { tone: "error" }) };
      }
      const errorId = newErrorId();
      log.get().error({ err: error, errorId }, "command failed");
      return {
        errorId,
        reply: reply.ephemeral(`Sorry, something went wrong on our side. If it keeps happening, give a creator this error id: \`${errorId}\`.`, { tone: "error" }),
      };
    }
  }

  async #run(inv: Invocation, log: LazyLogger, claim: PendingClaim): Promise<Reply> {
    const resolved = this.services.registry.resolve(inv.command, inv.subcommand);
    if (!resolved) throw new UserFacingError(`There is no /${inv.command} command. Type /help to see them all.`, "unknown_command");
    if (!resolved.leaf) {
      const group = resolved.command;
      const subs = group.kind === "group" ? group.subcommands.map((s) => s.name).join(", ") : "";
      const what = inv.subcommand ? `/${group.name} has no “${inv.subcommand}”.` : `/${group.name} needs a subcommand.`;
      throw new UserFacingError(`${what} Try one of: ${subs}.`, "unknown_subcommand");
    }
    const leaf = resolved.leaf;
    const ctx = await this.#context(inv, log, claim, leaf.permission, `/${resolved.path}`, () => validateOptions(leaf.options, inv.options));
    return (leaf.handler as (c: CommandContext<unknown>) => Promise<Reply> | Reply)(ctx);
  }

  async #runAction(inv: Invocation, value: string, log: LazyLogger, claim: PendingClaim): Promise<Reply> {
    const action = this.services.registry.action(inv.command);
    if (!action) throw new UserFacingError("That button is no longer active.", "unknown_action");
    const ctx = await this.#context(inv, log, claim, action.permission, "this button", () => ({ value }));
    return action.handler(ctx);
  }

  /**
   * Community, level (checked against `required`), options and member: what every handler
   * gets. Nothing before the member lookup writes anything, so the claim can wait for it and
   * share its statement; an error before then is claimed by `#answer` before it is answered.
   */
  async #context<O>(inv: Invocation, log: LazyLogger, claim: PendingClaim, required: PermissionLevel, what: string, options: () => O): Promise<CommandContext<O>> {
    const { directory } = this.services;
    const community = await directory.communityFor(inv.platform, inv.space);
    const level = await levelOf(inv.actor, community.config);
    if (!allows(level, required)) throw new PermissionError(`Only ${describeLevel(required)} can use ${what}.`);
    const validated = options();
    const { member, account } = await this.#claimedMember(inv, community.id, claim);
    await this.onMemberActive({ communityId: community.id, memberId: member.id, at: inv.receivedAt });
    return {
      platform: inv.platform,
      community,
      member,
      account,
      space: inv.space,
      channel: inv.channel,
      level,
      options: validated,
      services: this.services,
      get log() {
        return log.get();
      },
      now: inv.receivedAt,
      interactionId: inv.id ?? randomUUID(),
    };
  }

  /**
   * The member behind the invocation, claiming it first: in the same statement when the
   * directory can. Should that fail, the claim is not taken, and `#answer` takes it before
   * answering with the error.
   */
  async #claimedMember(inv: Invocation, communityId: string, claim: PendingClaim): Promise<MemberInfo> {
    const { directory } = this.services;
    if (claim.taken || inv.id === undefined) return directory.memberFor(communityId, inv.platform, inv.user);
    const request = { key: claimKey(inv.id), at: inv.receivedAt, ...(claim.holder ? { holder: claim.holder } : {}) };
    const found = directory.claimAndFindMember
      ? await directory.claimAndFindMember(communityId, inv.platform, inv.user, request)
      : await this.#claims.claim(request.key, request.at, request.holder).then((won) => (won ? directory.memberFor(communityId, inv.platform, inv.user) : undefined));
    claim.taken = true;
    if (!found) throw new ClaimedElsewhere();
    claim.onWon?.();
    return found;
  }
}

/** Whether this invocation's claim has been settled (won, or lost and thrown as ClaimedElsewhere). */
interface PendingClaim {
  taken: boolean;
  /** Told once the claim is won, before the handler runs. */
  readonly onWon?: () => void;
  /** The process recorded as answering it (RunHooks.holder). */
  readonly holder?: string;
}

/** What an adapter may learn or say about a run's claim. */
export interface RunHooks {
  /**
   * Called once this process has won the claim, before the handler runs (at once when there is
   * nothing to claim). Discord allows one acknowledgement per interaction: an adapter defers a
   * slow command only after this, so a process that loses the claim never acknowledges it.
   */
  readonly onClaimed?: () => void;
  /**
   * Record this process as the claim's holder (Discord's gateway adapter): should it die after
   * deferring, another process finds the claim and answers (src/platform/discord/recovery).
   */
  readonly holder?: string;
  /** The claim is this process's already (taken over from a dead holder): run the handler without claiming. */
  readonly claimed?: boolean;
}

const DUPLICATE: Outcome = { reply: reply.ephemeral(""), duplicate: true };

/** The key an invocation is claimed by. */
export function claimKey(id: string): string {
  return `interaction:${id}`;
}

/** Another delivery of the invocation claimed it first: the handler must not run. */
class ClaimedElsewhere extends Error {
  constructor() {
    super("already claimed elsewhere");
  }
}

interface LazyLogger {
  get(): Logger;
}

/** A child logger made on first use: most commands never log, and children cost CPU per command. */
function lazyChild(parent: Logger, bindings: () => Record<string, unknown>): LazyLogger {
  let child: Logger | undefined;
  return { get: () => (child ??= parent.child(bindings())) };
}
