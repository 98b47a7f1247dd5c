/**
 * Text from members (option values, display names) is neutralised before anything posts it:
 * control characters could corrupt a terminal or a message, and bidirectional overrides
 * (U+202E and friends) can make a title or name read differently from what it is
 * ("‮gnp.exe" shown as "exe.png"). Line breaks and tabs survive in free text, not in names.
 */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
// C0 controls except tab and line breaks, DEL, and C1 controls: matching them is the point.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** Free text: keeps line breaks and tabs, drops other controls and every bidi control. */
export function neutraliseText(text: string): string {
  return text.replace(BIDI_CONTROLS, "").replace(CONTROLS, "");
}

/** A name or a one-line title: as {@link neutraliseText}, with line breaks and tabs as spaces. */
export function neutraliseName(text: string): string {
  return neutraliseText(text).replace(/[\t\r\n]+/g, " ").trim();
}
