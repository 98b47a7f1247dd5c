/** `/stats [period]` and `/dashboard [signout-all]`, for creators and admins. */
import { defineCommand } from "../core/command.js";
import { UserFacingError } from "../core/errors.js";
import { option } from "../core/options.js";
import { reply } from "../core/reply.js";
import { issueLoginToken, revokeAll } from "./dashboard/sign-in.js";
import { describeFigure } from "./describe.js";
import { PERIODS, type PeriodName } from "./report.js";

const PERIOD_NAMES = Object.keys(PERIODS) as PeriodName[];

export const statsCommand = defineCommand({
  name: "stats",
  description: "Revenue, members and activity for a period, with a chart (creators)",
  permission: "creator",
  options: {
    period: option.string({ description: "The last week, month (default), quarter or year", choices: PERIOD_NAMES.map((p) => ({ name: p, value: p })) }),
  },
  handler: async (ctx) => {
    const period = (ctx.options.period ?? "month") as PeriodName;
    const { figures, png, builtAt } = await ctx.services.insights.stats(ctx.community, period, ctx.now);
    const days = PERIODS[period];
    return reply.ephemeral(`The last ${days} days, against the ${days} before.`, {
      title: `${ctx.community.name}: the last ${period}`,
      fields: figures.map((f) => ({ name: f.label, value: describeFigure(f), inline: true })),
      footer: builtAt ? `Figures as of ${builtAt.toISOString().slice(0, 16).replace("T", " ")} UTC` : "No figures yet",
      image: { name: "stats.png", png, alt: "Net revenue per month (bars) and active members (line) over the last 12 months" },
    });
  },
});

export const dashboardCommand = defineCommand({
  name: "dashboard",
  description: "A private sign-in link to the insights dashboard (creators)",
  permission: "creator",
  options: {
    action: option.string({ description: "signout-all signs every browser out", choices: [{ name: "signout-all", value: "signout-all" }] }),
  },
  handler: async (ctx) => {
    const { db } = ctx.services;
    if (ctx.options.action === "signout-all") {
      const count = await revokeAll(db, ctx.community.id, ctx.now);
      return reply.ephemeral(`Signed out ${count} dashboard session${count === 1 ? "" : "s"}; unused sign-in links no longer work.`, { tone: "success" });
    }
    const host = ctx.services.insights.dashboard;
    if (!host) throw new UserFacingError("The dashboard is not served by this Guildhall process.", "dashboard_off");
    await host.ensureListening();
    const token = await issueLoginToken(db, ctx.community.id, ctx.member.id, ctx.now);
    const url = `${host.publicUrl.replace(/\/$/, "")}/dashboard/login?token=${token}`;
    return reply.ephemeral("Your sign-in link works once, for 10 minutes. Do not share it.", { links: [{ label: "Open the dashboard", url }] });
  },
});
