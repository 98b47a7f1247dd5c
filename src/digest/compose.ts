/** A community's digest for a period, as the messages to post (none when there is nothing to say). */
import type { Post } from "../core/chat.js";
import type { Db } from "../db/database.js";
import { quoted } from "../core/member-text.js";
import type { DigestSectionSources } from "../core/digest-sections.js";
import { when } from "../core/digest-text.js";
import { type DigestSection, digestSections } from "./sections.js";
import type { DigestSettings } from "./settings.js";
import { splitDigest } from "./split.js";

export interface DigestRequest {
  readonly community: { readonly id: string; readonly name: string };
  readonly settings: DigestSettings;
  /** The period covered, `(from, to]`: from the previous slot to this one. */
  readonly from: Date;
  readonly to: Date;
  /** When it is built: what is waiting, and events in the next 7 days, are counted from here. */
  readonly now: Date;
}

export interface ComposedDigest {
  readonly sections: readonly DigestSection[];
  readonly posts: readonly Post[];
}

/** `sources`: the sections capabilities provide, by name. */
export async function composeDigest(db: Db, req: DigestRequest, sources: DigestSectionSources): Promise<ComposedDigest> {
  const { settings } = req;
  const window = { communityId: req.community.id, from: req.from, to: req.to, now: req.now };
  const sections = await digestSections(db, window, settings.sections, sources);
  const title = `📬 ${settings.cadence === "daily" ? "Daily" : "Weekly"} digest: ${quoted(req.community.name)}`;
  return { sections, posts: splitDigest({ title, intro: `Since ${when(req.from)}.`, sections }) };
}
