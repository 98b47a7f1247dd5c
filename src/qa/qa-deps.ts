import type { ChatPosters } from "../core/chat.js";
import type { PlatformName } from "../core/context.js";
import type { MemberMessenger } from "../core/member-messenger.js";
import type { AdminLog } from "../core/platform-services.js";
import type { Clock } from "../core/services.js";
import type { CommunityConfig } from "../config/communities.js";
import type { Db } from "../db/database.js";
import type { IdentityService } from "../identity/index.js";
import type { Logger } from "../log/logger.js";
import type { EarnedBadge } from "../points/index.js";
import type { PointsLedger } from "../points/index.js";

/** What the Q&A service works with; all passed in by `createRuntime`. */
export interface QaDeps {
  readonly db: Db;
  readonly ledger: PointsLedger;
  readonly identity: IdentityService;
  readonly chat: ChatPosters;
  readonly memberMessenger: MemberMessenger;
  readonly clock: Clock;
  readonly communities: readonly CommunityConfig[];
  readonly log: Logger;
  /** Where held points of copied answers are reported (the creators' admin log channels). */
  readonly adminLog?: AdminLog | undefined;
  /** Badges members became due for after Q&A changed their points (the points service's check). */
  readonly badgesAfter?: (communityId: string, memberIds: readonly string[]) => Promise<readonly EarnedBadge[]>;
}

/** Someone acting on a question: their member id, level and how to name them. */
export interface Actor {
  readonly memberId: string;
  readonly displayName: string;
  /** Creators and admins may accept and close any question. */
  readonly isCreator: boolean;
  readonly platform: PlatformName;
  /** Their user id on `platform`. */
  readonly platformUserId: string;
}
