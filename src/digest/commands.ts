/** `/digest preview|settings`, for creators: see the next digest privately, and change when and what it posts. */
import { defineCommand, defineGroup } from "../core/command.js";
import type { CommandContext } from "../core/context.js";
import { UserFacingError } from "../core/errors.js";
import { mention } from "../core/markup.js";
import { option, typedAs } from "../core/options.js";
import { reply } from "../core/reply.js";
import { DIGEST_SECTIONS } from "./settings-schema.js";
import { inTransaction } from "../db/transaction.js";
import { composeDigest } from "./compose.js";
import { creatorSummaryPreview } from "./creator-summary.js";
import { lastDueSlot, nextDueSlot } from "./due.js";
import { when } from "../core/digest-text.js";
import { claimSlot } from "./runs.js";
import { type DigestSectionName, type DigestSettings, digestChannel, isDigestSection, loadDigestSettings, saveDigestSettings } from "./settings.js";

const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"] as const;
const capitalised = (day: string) => `${day[0]!.toUpperCase()}${day.slice(1)}`;
/** A preview is one private reply: Discord shows up to 4,096 characters of it. */
const PREVIEW_MAX = 3800;
const WEEK_MS = 7 * 24 * 3_600_000;

const preview = defineCommand({
  name: "preview",
  description: "See the next digest privately, as it stands now",
  permission: "creator",
  handler: async (ctx) => {
    const settings = await loadDigestSettings(ctx.services.db, ctx.community.id, ctx.community.config);
    if (settings.cadence === "off") return reply.ephemeral("Digests are off. `/digest settings cadence:weekly` (or `daily`) turns them on.", { tone: "info" });
    const from = lastDueSlot(settings, settings.timezone, ctx.now) ?? new Date(ctx.now.getTime() - WEEK_MS);
    const next = nextDueSlot(settings, settings.timezone, ctx.now)!;
    const { posts } = await composeDigest(ctx.services.db, { community: ctx.community, settings, from, to: ctx.now, now: ctx.now }, ctx.services.digestSections);
    const whereAndWhen = `The next digest posts ${when(next)} ${where(ctx)}`;
    // The creator summary, when it is on, comes last; the digest's part is shortened to leave it room.
    const summary = await creatorSummaryPreview(ctx.services, ctx.community, settings, ctx.now);
    const withSummary = (text: string) => (summary ? `${text}\n\n${summary}` : text);
    if (posts.length === 0) return reply.ephemeral(withSummary(`${whereAndWhen}. Nothing has happened since ${when(from)} yet, so as it stands it would not be posted.`), { tone: "info" });
    const shown: string[] = [];
    let length = 0;
    for (const post of posts) {
      length += (post.text ?? "").length;
      if (shown.length > 0 && length > PREVIEW_MAX - (summary?.length ?? 0)) break;
      shown.push(post.text ?? "");
    }
    const rest = posts.length - shown.length;
    const text = [`_${whereAndWhen}, in ${posts.length === 1 ? "one message" : `${posts.length} messages`}. So far:_`, ...shown, ...(rest > 0 ? [`…and ${rest} more ${rest === 1 ? "message" : "messages"}.`] : [])];
    return reply.ephemeral(withSummary(text.join("\n\n")), { title: posts[0]!.title ?? "Digest preview" });
  },
});

/** "in #digest" on the platform the creator is on, or how to set a channel. */
function where(ctx: CommandContext<unknown>): string {
  const channel = digestChannel(ctx.community.config, ctx.platform);
  if (!channel) return `(no digest channel is set here: \`schedule.digest.channels\` or \`schedule.announcementChannels\` in the communities file)`;
  return `in ${ctx.platform === "playground" ? `#${channel}` : mention.channel(channel)}`;
}

const settingsCommand = defineCommand({
  name: "settings",
  description: "Change when the digest posts and what it shows (no options: show the settings)",
  permission: "creator",
  options: {
    cadence: option.string({ description: "How often it posts", choices: [{ name: "Daily", value: "daily" }, { name: "Weekly", value: "weekly" }, { name: "Off", value: "off" }] }),
    weekday: option.string({ description: "The day a weekly digest posts", choices: [...WEEKDAYS.slice(1), WEEKDAYS[0]].map((d) => ({ name: capitalised(d), value: d })) }),
    hour: option.integer({ description: "The hour it posts, 0 to 23, in the community's time zone", min: 0, max: 23 }),
    sections: option.string({ description: `Comma-separated: ${DIGEST_SECTIONS.join(", ")}; or all`, maxLength: 200, typed: typedAs.phrase(12, (t) => t.split(/[\s,]+/).filter(Boolean).every((w) => w === "all" || (DIGEST_SECTIONS as readonly string[]).includes(w))) }),
  },
  handler: async (ctx) => {
    const { db } = ctx.services;
    const current = await loadDigestSettings(db, ctx.community.id, ctx.community.config);
    const { cadence, weekday, hour, sections } = ctx.options;
    if (cadence === undefined && weekday === undefined && hour === undefined && sections === undefined) {
      return reply.ephemeral(`${describe(current, ctx.now)}\nChange it with \`/digest settings\` and any of \`cadence\`, \`weekday\`, \`hour\` and \`sections\`.`, { title: "Digest settings" });
    }
    const chosen = sections === undefined ? undefined : parseSections(sections);
    const stored = {
      cadence: cadence ?? current.cadence,
      weekday: weekday === undefined ? current.weekday : WEEKDAYS.indexOf(weekday as (typeof WEEKDAYS)[number]),
      hour: hour ?? current.hour,
      // An empty list stores "every section", so sections added later are included too.
      sections: chosen === undefined ? current.sections : chosen === "all" ? [] : chosen,
    };
    const next: DigestSettings = { ...current, ...stored, cadence: stored.cadence as DigestSettings["cadence"], sections: stored.sections.length === 0 ? [...DIGEST_SECTIONS] : stored.sections };
    const rescheduled = next.cadence !== current.cadence || next.weekday !== current.weekday || next.hour !== current.hour;
    await inTransaction(db, async (tx) => {
      await saveDigestSettings(tx, ctx.community.id, stored);
      // A new schedule starts with its next slot: a slot it puts in the past is not posted now.
      const passed = rescheduled ? lastDueSlot(next, next.timezone, ctx.now) : undefined;
      if (passed) await claimSlot(tx, { communityId: ctx.community.id, slot: passed, holder: `settings:${ctx.member.id}`, at: ctx.now }, "superseded");
    });
    // A weekday matters only to a weekly digest: say so rather than store it silently.
    const unused = weekday !== undefined && next.cadence !== "weekly" ? `\nThe weekday (${capitalised(weekday)}) is kept for when the digest is weekly; it is ${next.cadence} now, so add \`cadence:weekly\` to post on ${capitalised(weekday)}s.` : "";
    return reply.ephemeral(`Saved. ${describe(next, ctx.now)}${unused}`, { tone: unused ? "warning" : "success" });
  },
});

/** The sections named in a comma-separated list, or "all"; a friendly refusal names the valid ones. */
function parseSections(text: string): DigestSectionName[] | "all" {
  const names = [...new Set(text.toLowerCase().split(/[\s,]+/).filter(Boolean))];
  if (names.length === 1 && names[0] === "all") return "all";
  const unknown = names.filter((n) => !isDigestSection(n));
  const valid = `The sections are ${DIGEST_SECTIONS.map((s) => `\`${s}\``).join(", ")}, or \`all\`.`;
  if (unknown.length > 0) throw new UserFacingError(`${unknown.map((n) => `“${n}”`).join(", ")} ${unknown.length === 1 ? "is not a digest section" : "are not digest sections"}. ${valid}`, "unknown_digest_section");
  if (names.length === 0) throw new UserFacingError(`Name at least one section. ${valid}`, "no_digest_sections");
  return names.filter(isDigestSection);
}

function describe(s: DigestSettings, now: Date): string {
  if (s.cadence === "off") return "Digests are **off**.";
  const at = `${String(s.hour).padStart(2, "0")}:00 (${s.timezone})`;
  const schedule = s.cadence === "daily" ? `**Daily** at ${at}` : `**Weekly** on ${capitalised(WEEKDAYS[s.weekday]!)} at ${at}`;
  const next = nextDueSlot(s, s.timezone, now);
  return `${schedule}, with ${s.sections.map((n) => `\`${n}\``).join(", ")}.${next ? `\nNext digest: ${when(next)}.` : ""}`;
}

/** The `/digest` command. */
export const digestCommand = defineGroup({
  name: "digest",
  description: "The community digest: preview it, change when and what it posts",
  subcommands: [preview, settingsCommand],
});
