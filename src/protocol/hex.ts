/**
 * Hex text → bytes, forgiving of how people paste packets: whitespace, ':' or '-' between bytes, a "0x" prefix
 * on the whole string or on each group, upper or lower case. Null if anything else is in the way or the digit count is odd.
 */
export function parseHex(text: string): Buffer | null {
  const digits = text
    .trim()
    .split(/[\s:-]+/)
    .map((group) => group.replace(/^0x/i, ''))
    .join('');
  if (digits.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(digits)) return null;
  return Buffer.from(digits, 'hex');
}
