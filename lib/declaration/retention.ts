/**
 * How long published clinical documents are kept, and in which S3 storage classes as they age
 * (docs/capacity.md, "Storage for 30 years"). The medical-records rules (医疗机构病历管理规定, 2013,
 * art. 29): outpatient records at least 15 years, inpatient records at least 30 years. Documents are
 * filed by class (their LOINC type code, `docs/<class>/<sha256>`), so each class gets the period of
 * the record it belongs to; a class that may belong to either record (a laboratory or imaging report)
 * gets the longer one, and a class named nowhere here is never expired (only moved to cheaper storage):
 * deleting health records needs someone to have decided their period.
 */
import { PUBLISHED_PREFIX } from "#schemas/documents.ts";
import type { ArchiveRule } from "./types.ts";

export type StorageClass = ArchiveRule["transitions"][number]["storageClass"];

/** Every published document moves to cheaper storage by age; both classes still answer in milliseconds (the exchange serves them synchronously) */
export const DOCUMENT_TRANSITIONS: ArchiveRule["transitions"] = [
  { days: 30, storageClass: "STANDARD_IA" },
  { days: 365, storageClass: "GLACIER_IR" },
];

export const RETENTION_CLASSES = [
  {
    id: "inpatient",
    years: 30,
    loinc: [
      "18842-5", // discharge summary
      "34117-2", // history and physical note
      "11506-3", // progress note
      "11504-8", // surgical operation note
      "28570-0", // procedure note
      "11502-2", // laboratory report (either record: the longer period)
      "18748-4", // diagnostic imaging report (either record)
      "64297-5", // death certificate
      "71230-7", // birth certificate
    ],
  },
  {
    id: "outpatient",
    years: 15,
    loinc: [
      "34133-9", // summary of episode note (outpatient summary)
      "57133-1", // referral note
    ],
  },
] as const;

const YEAR_DAYS = 365;

/** The bucket's archive rules: one per document class with its expiry, and the transitions for every published document */
export function documentArchiveRules(): ArchiveRule[] {
  const seen = new Set<string>();
  const perClass = RETENTION_CLASSES.flatMap((c) =>
    c.loinc.map((code) => {
      if (seen.has(code)) throw new Error(`document class ${code} is in two retention classes`);
      seen.add(code);
      // leap days: 30 years of 365 days fall 7 or 8 days short of 30 calendar years; add them
      return {
        id: `${c.id}-${code}`,
        prefix: `${PUBLISHED_PREFIX}${code}/`,
        transitions: DOCUMENT_TRANSITIONS,
        expireDays: c.years * YEAR_DAYS + Math.ceil(c.years / 4),
      };
    }),
  );
  return [{ id: "published", prefix: PUBLISHED_PREFIX, transitions: DOCUMENT_TRANSITIONS }, ...perClass];
}
