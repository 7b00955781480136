/** Text and attribute escaping shared by the XML (JUnit) and HTML/SVG writers. */

// XML 1.0 allows TAB, LF, CR and everything from 0x20 except the surrogates and U+FFFE/U+FFFF.
// A failure message can carry anything a daemon printed (ANSI colours, NULs), so the rest becomes U+FFFD.
const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function escapeXml(s: string): string {
  return s
    .replace(INVALID_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** HTML text/attribute content: same rules (&apos; is valid HTML5 too). */
export const escapeHtml = escapeXml;
