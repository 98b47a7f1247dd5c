import type { CommunityConfig } from "../config/communities.js";
import type { PlatformName } from "./context.js";

export interface CommunityInfo {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly config: CommunityConfig | undefined;
}

export interface MemberInfo {
  readonly member: { readonly id: string; readonly displayName: string };
  readonly account: { readonly id: string; readonly externalId: string };
}

/** A member's account on one platform. */
export interface PlatformAccountRef {
  readonly platform: string;
  readonly externalId: string;
}

/**
 * Who is who: the community a guild or workspace belongs to and the member behind a
 * platform account. The dispatcher and member messaging need it; the identity capability
 * provides it (`services.directory`).
 */
export interface Directory {
  communityFor(platform: PlatformName, space: { id: string; name: string }): Promise<CommunityInfo>;
  memberFor(communityId: string, platform: PlatformName, user: { id: string; displayName: string }): Promise<MemberInfo>;
  /** The member's platform accounts, oldest first (the platform they joined from first). */
  accountsOf(memberId: string): Promise<readonly PlatformAccountRef[]>;
}
