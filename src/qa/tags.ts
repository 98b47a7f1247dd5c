import { UserFacingError } from "../core/errors.js";
import { quoted } from "../core/member-text.js";

export const MAX_TAGS = 5;
const TAG = /^[a-z0-9][a-z0-9+#.-]{0,23}$/;

/**
 * Tags typed as `rust, async` or `#rust #async`: lowercased, duplicates dropped. Forum
 * channels show them as post tags where a tag of that name exists.
 */
export function parseTags(text: string | undefined): string[] {
  if (!text) return [];
  const tags = [...new Set(text.split(/[\s,]+/).map((t) => t.replace(/^#/, "").toLowerCase()).filter(Boolean))];
  const bad = tags.filter((t) => !TAG.test(t));
  if (bad.length > 0) {
    throw new UserFacingError(`Tags are up to 24 letters, digits or \`+#.-\`, like \`rust\` or \`c++\`; not ${bad.map((t) => `“${quoted(t)}”`).join(", ")}.`, "invalid_tags");
  }
  if (tags.length > MAX_TAGS) throw new UserFacingError(`Up to ${MAX_TAGS} tags, please (you gave ${tags.length}).`, "invalid_tags");
  return tags;
}
