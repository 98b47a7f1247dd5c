/** Buttons on review threads: Claim (start or take over a review) and Thank (the requester's kudos). */
import { defineAction } from "../core/action.js";
import { reply } from "../core/reply.js";
import { CLAIM_ACTION, THANK_ACTION } from "./announcer.js";
import { RATE_ACTION } from "./rate-review.js";
import { ref } from "./review-text.js";

export const claimAction = defineAction({
  name: CLAIM_ACTION,
  handler: async (ctx) => {
    const { request, tookOverFrom } = await ctx.services.reviews.claim(ctx, ctx.options.value);
    const how = tookOverFrom ? "You took it over from its reviewer." : "";
    return reply.ephemeral(`You started review ${ref(request)}. ${how} Post your feedback in the thread, then finish with \`/review done\` and your ratings.`.replace("  ", " "), { tone: "success" });
  },
});

export const thankAction = defineAction({
  name: THANK_ACTION,
  handler: async (ctx) => {
    const { request, points } = await ctx.services.reviews.thank(ctx, ctx.options.value);
    return reply.ephemeral(`You thanked your reviewer for ${ref(request)} (+${points} kudos for them).`, { tone: "success" });
  },
});

/** The star buttons on a finished review: the requester's rating of it. */
export const rateAction = defineAction({
  name: RATE_ACTION,
  handler: async (ctx) => {
    const [requestId = "", stars = ""] = ctx.options.value.split(":");
    const { request, changed } = await ctx.services.reviews.rate(ctx, { id: requestId }, Number(stars));
    return reply.ephemeral(`${changed ? "Changed your rating of" : "You rated"} review ${ref(request)} ${"★".repeat(Number(stars))} (${stars}/5). Thank you!`, { tone: "success" });
  },
});
