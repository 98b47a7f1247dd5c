import type { CommunityConfig } from "../config/communities.js";
import type { Logger } from "../log/logger.js";
import type { PermissionLevel } from "./permissions.js";
import type { Services } from "./services.js";

export type PlatformName = "discord" | "slack" | "playground";

/** Everything a handler knows about where and by whom it was run. */
export interface CommandContext<O> {
  readonly platform: PlatformName;
  readonly community: {
    readonly id: string;
    readonly slug: string;
    readonly name: string;
    readonly config: CommunityConfig | undefined;
  };
  readonly member: { readonly id: string; readonly displayName: string };
  /** The platform account the command came from. */
  readonly account: { readonly id: string; readonly externalId: string };
  /** The Discord guild, Slack workspace or playground the command came from. */
  readonly space: { readonly id: string; readonly name: string };
  readonly channel: { readonly id: string; readonly name?: string };
  /** The actor's level, already checked against the command's requirement. */
  readonly level: PermissionLevel;
  readonly options: O;
  readonly services: Services;
  readonly log: Logger;
  /** The moment the interaction was received. */
  readonly now: Date;
  /**
   * The interaction's own id (see Invocation.id), the same in every process and on every
   * retry: effects key their idempotency on it (`thanks:${ctx.interactionId}`), never on a random id.
   */
  readonly interactionId: string;
}
