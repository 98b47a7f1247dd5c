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
}
