/**
 * The province as data: its cities (any number; the seed's 11 by default) and the deployment
 * settings, validated by zod at synth and at local start. Stack ids, SSM paths and local URL
 * prefixes all derive from a city's id. The Lambdas never import this file: a node learns which
 * cities exist from discovery (lambdas/shared/discovery.ts), so a city added later needs no rebuild.
 */
import { z } from "zod";

export const CITY_IDS = [
  "shijiazhuang",
  "tangshan",
  "qinhuangdao",
  "handan",
  "xingtai",
  "baoding",
  "zhangjiakou",
  "chengde",
  "cangzhou",
  "langfang",
  "hengshui",
] as const;

export { type CityId, cityIdSchema } from "#schemas/city.ts";
/** The seed's 11 cities (the province config may name more) */
export type SeedCityId = (typeof CITY_IDS)[number];

import { cityProfileSchema } from "#schemas/city.ts";

export const citySchema = cityProfileSchema.extend({
  /** PascalCase name used in stack ids: HebeiHealth-City-<stackName> */
  stackName: z.string().regex(/^[A-Z][A-Za-z]+$/, "stackName must be PascalCase letters"),
  /** GB/T 2260 prefecture code, 4 digits (13xx for Hebei) */
  adminCode: z.string().regex(/^13\d{2}$/, "adminCode must be a 4-digit Hebei prefecture code (13xx)"),
  /** Resident population in millions (used to size the synthetic seed) */
  populationMillions: z.number().positive(),
  /** Short prefix of hospital ids in this city (URL-safe, lower-case) */
  hospitalIdPrefix: z.string().regex(/^[a-z]{2,4}$/),
});
export type CityConfig = z.infer<typeof citySchema>;

export const provinceConfigSchema = z
  .object({
    /** Prefix of every SSM parameter the nodes publish and look up */
    ssmPrefix: z.string().regex(/^\/[a-z0-9-]+$/, "ssmPrefix must look like /hhc"),
    /** Heartbeats newer than this count as connected */
    connectedWindowSeconds: z.number().int().positive(),
    cities: z.array(citySchema).min(1, "the province has at least one city"),
    /** Object Lock retention (compliance mode) of the department exchange's evidence archive: 10 years unless set (docs/departments.md#evidence-log) */
    evidenceRetentionDays: z.number().int().positive().default(3650),
    /**
     * How long a city keeps the hub's positive practitioner check (docs/security.md#practitioners): 60 s unless
     * set, as API Gateway keeps the authorizer's answer; a deactivated practitioner may act that long. 0: ask every time.
     */
    practitionerCacheSeconds: z.number().int().min(0).max(300).default(60),
  })
  .superRefine((cfg, ctx) => {
    for (const key of ["id", "stackName", "nameZh", "adminCode", "hospitalIdPrefix"] as const) {
      const seen = new Set<string>();
      cfg.cities.forEach((c, i) => {
        if (seen.has(c[key])) ctx.addIssue({ code: "custom", path: ["cities", i, key], message: `duplicate ${key} ${c[key]}` });
        seen.add(c[key]);
      });
    }
  });
export type ProvinceConfig = z.infer<typeof provinceConfigSchema>;

export const PROVINCE: ProvinceConfig = provinceConfigSchema.parse({
  ssmPrefix: "/hhc",
  connectedWindowSeconds: 300,
  cities: [
    {
      id: "shijiazhuang",
      stackName: "Shijiazhuang",
      nameZh: "石家庄市",
      adminCode: "1301",
      populationMillions: 11.24,
      hospitalIdPrefix: "sjz",
    },
    { id: "tangshan", stackName: "Tangshan", nameZh: "唐山市", adminCode: "1302", populationMillions: 7.72, hospitalIdPrefix: "ts" },
    {
      id: "qinhuangdao",
      stackName: "Qinhuangdao",
      nameZh: "秦皇岛市",
      adminCode: "1303",
      populationMillions: 3.14,
      hospitalIdPrefix: "qhd",
    },
    { id: "handan", stackName: "Handan", nameZh: "邯郸市", adminCode: "1304", populationMillions: 9.41, hospitalIdPrefix: "hd" },
    { id: "xingtai", stackName: "Xingtai", nameZh: "邢台市", adminCode: "1305", populationMillions: 7.11, hospitalIdPrefix: "xt" },
    { id: "baoding", stackName: "Baoding", nameZh: "保定市", adminCode: "1306", populationMillions: 11.54, hospitalIdPrefix: "bd" },
    {
      id: "zhangjiakou",
      stackName: "Zhangjiakou",
      nameZh: "张家口市",
      adminCode: "1307",
      populationMillions: 4.12,
      hospitalIdPrefix: "zjk",
    },
    { id: "chengde", stackName: "Chengde", nameZh: "承德市", adminCode: "1308", populationMillions: 3.35, hospitalIdPrefix: "cd" },
    { id: "cangzhou", stackName: "Cangzhou", nameZh: "沧州市", adminCode: "1309", populationMillions: 7.3, hospitalIdPrefix: "cz" },
    { id: "langfang", stackName: "Langfang", nameZh: "廊坊市", adminCode: "1310", populationMillions: 5.46, hospitalIdPrefix: "lf" },
    { id: "hengshui", stackName: "Hengshui", nameZh: "衡水市", adminCode: "1311", populationMillions: 4.21, hospitalIdPrefix: "hs" },
  ],
});

export function cityById(id: string): CityConfig | undefined {
  return PROVINCE.cities.find((c) => c.id === id);
}

export const HUB_STACK_ID = "HebeiHealth-Hub";
/** The reference insurance platform (docs/settlement.md), deployable alone, in this or another account */
export const INSURANCE_STACK_ID = "HebeiHealth-Insurance";
export const cityStackId = (city: CityConfig): string => `HebeiHealth-City-${city.stackName}`;
