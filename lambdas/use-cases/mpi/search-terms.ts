/**
 * PDQm search entries of a stored Patient (hub side): its identifiers, phones, full name (characters
 * and pinyin), and family name with birth date. Kept apart from patient-record.ts, which the city
 * handlers bundle, so that they do not carry the pinyin dictionary.
 */
import { normalizePhone } from "#domain/mpi/phone.ts";
import type { MatchRecord } from "#domain/mpi/record.ts";
import type { Identifier } from "./patient-record.ts";

export const compact = (s: string): string => s.replace(/\s+/g, "").toLowerCase();

export function searchTerms(patient: Record<string, unknown>, record: MatchRecord): string[] {
  const terms = new Set<string>();
  for (const i of (patient.identifier as Identifier[] | undefined) ?? []) terms.add(`id:${i.system}|${i.value}`);
  for (const t of (patient.telecom as { system?: string; value?: string }[] | undefined) ?? []) {
    const phone = t.system === "email" ? undefined : normalizePhone(t.value);
    if (phone) terms.add(`tel:${phone}`);
  }
  const names = [
    [record.family, record.given],
    [record.familyPinyin ?? "", record.givenPinyin ?? ""],
  ];
  const birthDate = patient.birthDate as string | undefined;
  for (const [family, given] of names) {
    if (family && given) terms.add(`nm:${compact(family + given)}`);
    if (family && birthDate) terms.add(`fb:${compact(family)}|${birthDate}`);
  }
  return [...terms];
}
