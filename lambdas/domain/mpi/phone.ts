/** Phone numbers as the MPI compares and indexes them: digits only, without placeholders. Pure, no dictionary. */

/**
 * Digits only, without a +86/0086 country prefix; undefined for numbers that carry no identity:
 * fewer than 7 digits, or placeholders: the last 8 digits one digit repeated (13800000000,
 * 11111111111), or 12345678 / 87654321 typed alone.
 */
export function normalizePhone(phone: string | undefined): string | undefined {
  if (!phone) return undefined;
  let digits = phone.replace(/\D/g, "");
  if (digits.startsWith("0086")) digits = digits.slice(4);
  else if (digits.startsWith("86") && digits.length === 13) digits = digits.slice(2);
  if (digits.length < 7) return undefined;
  const placeholder = new Set(digits.slice(-8)).size <= 1 || digits === "12345678" || digits === "87654321";
  return placeholder ? undefined : digits;
}
