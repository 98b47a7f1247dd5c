import type { PlatformName } from "./context.js";
import type { RawOptions } from "./options.js";
import type { ActorFacts } from "./permissions.js";

/** A command as received from any platform, before anything is checked. */
export interface Invocation {
  readonly platform: PlatformName;
  /** The guild, workspace or playground it came from. */
  readonly space: { readonly id: string; readonly name: string };
  readonly user: { readonly id: string; readonly displayName: string };
  readonly channel: { readonly id: string; readonly name?: string };
  readonly command: string;
  readonly subcommand: string | undefined;
  readonly options: RawOptions;
  readonly actor: ActorFacts;
  readonly receivedAt: Date;
  /**
   * The platform's own id for this delivery, namespaced by platform (`discord:<interaction
   * id>`, `slack:<trigger_id>`, `playground:<uuid>`). The dispatcher claims it in the database
   * before the handler runs, so a second delivery (another process, a retry) is skipped, and
   * effects derive their idempotency keys from it. Without one (tests calling the dispatcher
   * directly) the dispatcher makes one up and claims nothing.
   */
  readonly id?: string;
}
