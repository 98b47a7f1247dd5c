/** Identity: communities, members, their platform accounts and linking them (/link, /whoami, /community). */
import { defineCapability } from "../core/capability.js";
import { identityDigestSections } from "./digest-sections.js";
import { communityCommand } from "./community-command.js";
import { IdentityService } from "./identity-service.js";
import { linkCommand } from "./link-command.js";
import { whoamiCommand } from "./whoami-command.js";

export type { IdentityService, MemberMerge } from "./identity-service.js";

declare module "../core/services.js" {
  interface Services {
    /** Communities, members and linked accounts (also `services.directory` for core). */
    readonly identity: IdentityService;
  }
}

export const identity = defineCapability({
  name: "identity",
  provide(services, deps) {
    const service = new IdentityService(services.db, deps.communities, services.clock);
    return { identity: service, directory: service };
  },
  commands: [linkCommand, whoamiCommand, communityCommand],
  digestSections: identityDigestSections,
});
