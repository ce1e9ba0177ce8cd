/**
 * Name templates of the synthetic hospitals. A template carries a base score: the highest-scoring
 * hospitals of the province (score plus a seeded jitter) become level 3 (三级), the rest level 2.
 */
import type { SeedCityId } from "#lib/config/province.ts";

export interface NameTemplate {
  /** Appended to the city's name ("石家庄市" + "第一医院") or to the county's (full or short) name */
  suffix: string;
  baseScore: number;
  /** Privately run: registered with civil affairs (52…) or as a company (91…), not as a public institution (12…) */
  private: boolean;
  /** County templates only: use the short county name ("正定仁爱医院") instead of the full one */
  shortName?: boolean;
}

/** Provincial and university hospitals, named as they are; placed in the city's central districts. */
export const FLAGSHIP_HOSPITALS: Readonly<Record<SeedCityId, readonly string[]>> = {
  shijiazhuang: [
    "河北医科大学第一医院",
    "河北医科大学第二医院",
    "河北医科大学第三医院",
    "河北医科大学第四医院",
    "河北省人民医院",
    "河北省中医院",
    "河北省儿童医院",
    "河北省胸科医院",
    "河北省第八人民医院",
  ],
  tangshan: ["华北理工大学附属医院", "开滦总医院"],
  qinhuangdao: [],
  handan: ["河北工程大学附属医院"],
  xingtai: ["河北省眼科医院"],
  baoding: ["河北大学附属医院"],
  zhangjiakou: ["河北北方学院附属第一医院"],
  chengde: ["承德医学院附属医院"],
  cangzhou: [],
  langfang: [],
  hengshui: ["哈励逊国际和平医院"],
};
export const FLAGSHIP_SCORE = 100;

const pub = (suffix: string, baseScore: number): NameTemplate => ({ suffix, baseScore, private: false });
const priv = (suffix: string, baseScore: number, shortName = false): NameTemplate => ({ suffix, baseScore, private: true, shortName });

/** City-level hospitals, in the order a city gets them. */
export const CITY_TEMPLATES: readonly NameTemplate[] = [
  pub("第一医院", 85),
  pub("中心医院", 84),
  pub("第二医院", 78),
  pub("中医院", 75),
  pub("妇幼保健院", 70),
  pub("人民医院", 72),
  pub("儿童医院", 66),
  pub("第三医院", 64),
  pub("肿瘤医院", 62),
  pub("第四医院", 56),
  pub("传染病医院", 50),
  priv("仁爱医院", 22),
  pub("第五医院", 50),
  pub("眼科医院", 42),
  pub("口腔医院", 40),
  priv("博爱医院", 20),
  pub("胸科医院", 45),
  pub("骨科医院", 40),
  pub("康复医院", 30),
  priv("友谊医院", 18),
  pub("第六医院", 40),
  priv("和平医院", 16),
  pub("中西医结合医院", 38),
  pub("第七医院", 35),
  priv("协和医院", 16),
  priv("仁和医院", 14),
  priv("济民医院", 12),
  priv("安康医院", 12),
  priv("华兴医院", 10),
];

/** County-level hospitals: every division's first two rounds, in this order. */
export const COUNTY_FIRST_TEMPLATES: readonly NameTemplate[] = [pub("人民医院", 42), pub("中医医院", 25)];

/**
 * Then, per division, the first group in a seeded order, then the second group in a seeded order, so
 * the third round mixes 妇幼保健院, 第二人民医院 and private hospitals.
 */
export const COUNTY_LATER_TEMPLATES: readonly (readonly NameTemplate[])[] = [
  [pub("妇幼保健院", 12), pub("第二人民医院", 16), priv("仁爱医院", 5, true)],
  [pub("第三人民医院", 8), priv("博爱医院", 4, true), priv("康复医院", 3, true)],
];

/** Added to a county template's score by the kind of division it stands in. */
export const DIVISION_KIND_BONUS = { city: 14, district: 4, county: 0 } as const;
