/**
 * County-level divisions of Hebei per seed city (the GB/T 2260 table itself is the domain's reference
 * data, lambdas/domain/divisions.ts), with what the seed adds: the kind of division and the central
 * districts where city-level hospitals stand.
 */
import { countiesOf, type DivisionRow } from "#domain/divisions.ts";
import type { SeedCityId } from "#lib/config/province.ts";

export type DivisionKind = "district" | "city" | "county";

export interface Division {
  /** GB/T 2260 code, 6 digits, starting with the city's 4-digit code */
  code: string;
  nameZh: string;
  kind: DivisionKind;
  /** A central district of the prefecture city, where its city-level hospitals stand */
  urbanCore: boolean;
}

/** The central districts of each prefecture city (city-level hospitals are placed here). */
const URBAN_CORE = new Set([
  "130102",
  "130104",
  "130105",
  "130108",
  "130202",
  "130203",
  "130302",
  "130402",
  "130403",
  "130404",
  "130502",
  "130503",
  "130602",
  "130606",
  "130702",
  "130703",
  "130802",
  "130902",
  "130903",
  "131002",
  "131003",
  "131102",
]);

function kindOf(nameZh: string): DivisionKind {
  if (nameZh.endsWith("区")) return "district";
  if (nameZh.endsWith("市")) return "city";
  return "county";
}

function toDivisions(rows: readonly DivisionRow[]): readonly Division[] {
  return rows.map(([code, nameZh]) => ({ code, nameZh, kind: kindOf(nameZh), urbanCore: URBAN_CORE.has(code) }));
}

export const HEBEI_DIVISIONS: Readonly<Record<SeedCityId, readonly Division[]>> = {
  shijiazhuang: toDivisions(countiesOf("1301")),
  tangshan: toDivisions(countiesOf("1302")),
  qinhuangdao: toDivisions(countiesOf("1303")),
  handan: toDivisions(countiesOf("1304")),
  xingtai: toDivisions(countiesOf("1305")),
  baoding: toDivisions(countiesOf("1306")),
  zhangjiakou: toDivisions(countiesOf("1307")),
  chengde: toDivisions(countiesOf("1308")),
  cangzhou: toDivisions(countiesOf("1309")),
  langfang: toDivisions(countiesOf("1310")),
  hengshui: toDivisions(countiesOf("1311")),
};

/**
 * The short name used in informal (e.g. private hospital) names: "正定县" → "正定", "定州市" → "定州",
 * "丰宁满族自治县" → "丰宁". Two-character names ("沧县", "涉县") and mining districts ("峰峰矿区") stay whole.
 */
export function shortDivisionName(nameZh: string): string {
  const autonomous = /^(.+?)(?:满族|回族|蒙古族)+自治县$/.exec(nameZh);
  if (autonomous) return autonomous[1]!;
  if (nameZh.length <= 2 || nameZh.endsWith("矿区")) return nameZh;
  return /[县市区]$/.test(nameZh) ? nameZh.slice(0, -1) : nameZh;
}

/** A city's divisions; a city the seed does not know has none yet. */
export const divisionsOf = (cityId: string): readonly Division[] =>
  (HEBEI_DIVISIONS as Readonly<Record<string, readonly Division[]>>)[cityId] ?? [];
