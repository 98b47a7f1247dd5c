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

/** An interaction's claim: its key in `InteractionClaim` and when it was received. */
export interface InteractionClaimRequest {
  readonly key: string;
  readonly at: Date;
  /** The process answering it, when another may have to answer for it (src/platform/discord/recovery). */
  readonly holder?: string;
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
  /**
   * `memberFor` and an interaction's claim (src/db/claims.ts) together, in one statement:
   * undefined, with nothing written, when the key was already claimed. The dispatcher uses it
   * when the directory has it, and claims on its own otherwise.
   */
  claimAndFindMember?(communityId: string, platform: PlatformName, user: { id: string; displayName: string }, claim: InteractionClaimRequest): Promise<MemberInfo | undefined>;
  /** The member's platform accounts, oldest first (the platform they joined from first). */
  accountsOf(memberId: string): Promise<readonly PlatformAccountRef[]>;
}
