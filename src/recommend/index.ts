/** Recommendations: /recommend suggests catalog items a member does not have, with reasons. */
import { defineCapability } from "../core/capability.js";
import { recommendCommand } from "./recommend-command.js";
import { RecommendService } from "./recommend-service.js";

export type { RecommendService } from "./recommend-service.js";

declare module "../core/services.js" {
  interface Services {
    /** Catalog items a member may like, from purchases, interests, ratings and popularity. */
    readonly recommend: RecommendService;
  }
}

export const recommendations = defineCapability({
  name: "recommend",
  // Read at each /recommend, so the order capabilities are built in does not matter.
  provide: (services) => ({ recommend: new RecommendService(() => services) }),
  commands: [recommendCommand],
});
