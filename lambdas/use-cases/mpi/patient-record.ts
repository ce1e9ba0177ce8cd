/**
 * Between the FHIR Patient a hospital feeds and the record the index matches (pure):
 * toMatchRecord reads name (characters and pinyin), sex, birth date, phone, address and the typed
 * numbers; renderPatient gives the stored Patient back with its EMPI (once linked) and its tags.
 */
import { createHash } from "node:crypto";
import { BadRequestError, ForbiddenError } from "#domain/errors.ts";
import type { MatchRecord } from "#domain/mpi/record.ts";
import { checkResidentId } from "#domain/mpi/resident-id.ts";
import {
  EMPI_SYSTEM,
  type FeedHumanName,
  type FeedPatient,
  HEALTH_CARD_SYSTEM,
  MATCH_FLAG_SYSTEM,
  MATCH_TAG_SYSTEM,
  MOTHER_EXTENSION_URL,
  mrnHospital,
  mrnSystem,
  NAME_REPRESENTATION_URL,
  RESIDENT_ID_SYSTEM,
} from "#schemas/patient.ts";
import { clock } from "#shared/clock.ts";

export interface Identifier {
  system: string;
  value: string;
}

export const sourceKeyOf = (id: Identifier): string => `${id.system}|${id.value}`;

/** "system|value" (already validated) as an identifier */
export function parseSource(sourceKey: string): Identifier {
  const bar = sourceKey.indexOf("|");
  return { system: sourceKey.slice(0, bar), value: sourceKey.slice(bar + 1) };
}

/** The Patient resource id of a hospital's record: stable, derived from its MRN */
export const patientIdOf = (sourceKey: string): string => createHash("sha256").update(sourceKey).digest("hex").slice(0, 32);

const HAN = /\p{Script=Han}/u;
const COMPOUND_SURNAMES = new Set([
  "欧阳",
  "司马",
  "上官",
  "诸葛",
  "东方",
  "皇甫",
  "尉迟",
  "公孙",
  "慕容",
  "夏侯",
  "令狐",
  "长孙",
  "宇文",
  "轩辕",
  "司徒",
  "端木",
  "西门",
  "南宫",
]);

const representation = (name: FeedHumanName): string | undefined =>
  name.extension?.find((e) => e.url === NAME_REPRESENTATION_URL)?.valueCode;

function nameParts(name: FeedHumanName): { family: string; given: string } {
  const family = name.family?.trim() ?? "";
  const given = (name.given ?? []).map((g) => g.trim()).join(HAN.test(family + (name.given ?? []).join("")) ? "" : " ");
  if (family || given) return { family, given };
  const text = (name.text ?? "").replace(/\s+/g, "");
  if (!HAN.test(text)) return { family: "", given: (name.text ?? "").trim() };
  const cut = COMPOUND_SURNAMES.has(text.slice(0, 2)) ? 2 : 1;
  return { family: text.slice(0, cut), given: text.slice(cut) };
}

/** The name in characters and, when given, in pinyin (a name marked SYL/ABC, or written in Latin letters only). */
export function readNames(names: FeedHumanName[] | undefined): {
  family: string;
  given: string;
  familyPinyin?: string;
  givenPinyin?: string;
} {
  let chars: { family: string; given: string } | undefined;
  let pinyin: { family: string; given: string } | undefined;
  for (const name of names ?? []) {
    const rep = representation(name);
    const parts = nameParts(name);
    const isPinyin = rep === "SYL" || rep === "ABC" || (rep !== "IDE" && !HAN.test(parts.family + parts.given));
    if (isPinyin) pinyin ??= { family: parts.family.toLowerCase(), given: parts.given.toLowerCase() };
    else chars ??= parts;
  }
  return {
    family: chars?.family ?? "",
    given: chars?.given ?? "",
    ...(pinyin?.family ? { familyPinyin: pinyin.family } : {}),
    ...(pinyin?.given ? { givenPinyin: pinyin.given } : {}),
  };
}

function readAddress(patient: FeedPatient): string | undefined {
  const address = patient.address?.find((a) => a.use !== "old") ?? patient.address?.[0];
  if (!address) return undefined;
  const text = address.text?.trim() || [address.state, address.city, address.district, ...(address.line ?? [])].filter(Boolean).join("");
  return text || undefined;
}

const firstValue = (patient: FeedPatient, system: string): string | undefined =>
  patient.identifier?.find((i) => i.system === system)?.value.trim();

/** The mother's resident ID number a newborn's Patient names (MOTHER_EXTENSION_URL), if any */
export function motherResidentId(patient: FeedPatient): string | undefined {
  const extensions = (patient as { extension?: { url?: string; valueIdentifier?: { value?: string }; valueString?: string }[] }).extension;
  const mother = extensions?.find((e) => e.url === MOTHER_EXTENSION_URL);
  return (mother?.valueIdentifier?.value ?? mother?.valueString)?.trim() || undefined;
}

/** The record the index matches: the hospital's MRN as its source. */
export function toMatchRecord(patient: FeedPatient, source: Identifier): MatchRecord {
  const phone = patient.telecom?.find((t) => (t.system === "phone" || t.system === "sms" || !t.system) && t.value?.trim())?.value?.trim();
  // a newborn without a number of its own is registered under its mother's (the extension), with its birth order
  const mother = motherResidentId(patient);
  const own = firstValue(patient, RESIDENT_ID_SYSTEM);
  const residentId = own ?? mother;
  const newbornOrder = !own && mother ? { birthOrder: patient.multipleBirthInteger ?? 1 } : {};
  const healthCard = firstValue(patient, HEALTH_CARD_SYSTEM)?.toUpperCase();
  const address = readAddress(patient);
  return {
    ...readNames(patient.name),
    ...(residentId ? { residentId } : {}),
    ...(healthCard ? { healthCard } : {}),
    ...(patient.gender ? { sex: patient.gender } : {}),
    ...(patient.birthDate?.length === 10 ? { birthDate: patient.birthDate } : {}),
    ...(patient.multipleBirthInteger !== undefined ? { birthOrder: patient.multipleBirthInteger } : {}),
    ...newbornOrder,
    ...(phone ? { phone } : {}),
    ...(address ? { address } : {}),
    source: { system: source.system, value: source.value },
  };
}

/**
 * The Patient as the index keeps it: its id and meta dropped, EMPIs dropped (the index assigns them),
 * resident ID numbers in their 18-character form (a legacy 15-digit number converted).
 */
export function toStoredPatient(patient: FeedPatient): Record<string, unknown> {
  const { id: _id, meta: _meta, ...rest } = patient as FeedPatient & { meta?: unknown };
  const identifier = (patient.identifier ?? [])
    .filter((i) => i.system !== EMPI_SYSTEM)
    .map((i) => {
      if (i.system === RESIDENT_ID_SYSTEM)
        return { ...i, value: checkResidentId(i.value, { today: clock.today() }).normalized ?? i.value.trim() };
      if (i.system === HEALTH_CARD_SYSTEM) return { ...i, value: i.value.trim().toUpperCase() };
      return i;
    });
  return { ...rest, identifier };
}

/** The hospitals whose MRN systems a Patient carries */
export const mrnIdentifiers = (patient: FeedPatient): Identifier[] =>
  (patient.identifier ?? []).filter((i) => mrnHospital(i.system) !== undefined).map((i) => ({ system: i.system, value: i.value }));

export interface RenderInput {
  sourceKey: string;
  version: number;
  lastUpdated: string;
  patient: Record<string, unknown>;
  flags: readonly string[];
  /** the resident's EMPI when linked; undefined while the resident awaits review */
  empi?: string;
  review: boolean;
}

/** The stored Patient as the feed, PDQm and the stewardship endpoints answer it. */
export function renderPatient(input: RenderInput): Record<string, unknown> {
  const identifier = [...((input.patient.identifier as Identifier[] | undefined) ?? [])];
  if (input.empi && !input.review) identifier.push({ system: EMPI_SYSTEM, value: input.empi });
  const tag = [
    ...(input.review ? [{ system: MATCH_TAG_SYSTEM, code: "review", display: "awaiting a steward's review" }] : []),
    ...input.flags.map((code) => ({ system: MATCH_FLAG_SYSTEM, code })),
  ];
  return {
    ...input.patient,
    id: patientIdOf(input.sourceKey),
    meta: { versionId: String(input.version), lastUpdated: input.lastUpdated, ...(tag.length ? { tag } : {}) },
    identifier,
  };
}

/** A merged-away EMPI as a Patient: inactive, pointing to the resident that replaced it */
export function renderReplacedPatient(empi: string, survivor: string): Record<string, unknown> {
  return {
    resourceType: "Patient",
    id: empi,
    active: false,
    identifier: [{ system: EMPI_SYSTEM, value: empi }],
    link: [{ other: { identifier: { system: EMPI_SYSTEM, value: survivor }, display: `EMPI ${survivor}` }, type: "replaced-by" }],
  };
}

/**
 * The hospital's own MRN the fed Patient is keyed by. A hospital feeds only its own patient numbers
 * (403 otherwise); a Patient carries exactly one of them, the one a conditional update names.
 */
export function feedSource(hospitalId: string, patient: FeedPatient, conditional?: Identifier): Identifier {
  const own = mrnSystem(hospitalId);
  const inBody = mrnIdentifiers(patient).find((i) => i.system !== own);
  const foreign = inBody ?? (conditional?.system !== own ? conditional : undefined);
  if (foreign)
    throw new ForbiddenError(
      `Hospital ${hospitalId} feeds only its own patient numbers (${own}), not ${foreign.system}`,
      // the Patient's identifier, or the conditional update's search parameter
      inBody ? "Patient.identifier" : "identifier",
    );
  const owned = mrnIdentifiers(patient);
  if (conditional && owned.some((i) => i.value !== conditional.value)) {
    throw new BadRequestError(
      `identifier: the Patient's patient number must be the one the update names (${conditional.value})`,
      "Patient.identifier",
    );
  }
  const source = conditional ?? owned[0];
  if (!source || owned.length > 1) {
    throw new BadRequestError(
      `identifier: a fed Patient carries exactly one patient number of the calling hospital (${own}|<value>)`,
      "Patient.identifier",
    );
  }
  return source;
}
