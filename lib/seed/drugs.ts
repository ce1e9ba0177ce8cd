/**
 * The seed's drug catalogue: several thousand synthetic drugs with valid codes (docs/drugs-devices.md),
 * generated deterministically from lib/seed/prng.ts, so every seeded province (npm start, the test
 * template) holds the same entries. Names, forms and manufacturers are drawn from small pools; every
 * national drug code carries its GB 18937 check digit, every GTIN its GS1 check digit.
 */
import { gtinCheckDigit, nationalDrugCode } from "#domain/drugs/codes.ts";
import type { CatalogueEntry } from "#schemas/drugs.ts";
import { createRng } from "./prng.ts";

/** Generic names with their ATC level-4 group (Z: proprietary Chinese medicines, with a class of the same shape) */
const GENERICS: [string, string, "X" | "Z"][] = [
  ["阿莫西林", "J01CA", "X"],
  ["头孢呋辛", "J01DC", "X"],
  ["头孢克洛", "J01DC", "X"],
  ["左氧氟沙星", "J01MA", "X"],
  ["阿奇霉素", "J01FA", "X"],
  ["甲硝唑", "P01AB", "X"],
  ["奥美拉唑", "A02BC", "X"],
  ["雷贝拉唑", "A02BC", "X"],
  ["二甲双胍", "A10BA", "X"],
  ["格列美脲", "A10BB", "X"],
  ["阿卡波糖", "A10BF", "X"],
  ["胰岛素", "A10AB", "X"],
  ["氨氯地平", "C08CA", "X"],
  ["硝苯地平", "C08CA", "X"],
  ["缬沙坦", "C09CA", "X"],
  ["厄贝沙坦", "C09CA", "X"],
  ["依那普利", "C09AA", "X"],
  ["美托洛尔", "C07AB", "X"],
  ["阿托伐他汀", "C10AA", "X"],
  ["瑞舒伐他汀", "C10AA", "X"],
  ["阿司匹林", "B01AC", "X"],
  ["氯吡格雷", "B01AC", "X"],
  ["华法林", "B01AA", "X"],
  ["布洛芬", "M01AE", "X"],
  ["对乙酰氨基酚", "N02BE", "X"],
  ["氨溴索", "R05CB", "X"],
  ["孟鲁司特", "R03DC", "X"],
  ["氯雷他定", "R06AX", "X"],
  ["西替利嗪", "R06AE", "X"],
  ["舍曲林", "N06AB", "X"],
  ["艾司西酞普兰", "N06AB", "X"],
  ["奥氮平", "N05AH", "X"],
  ["左甲状腺素", "H03AA", "X"],
  ["泼尼松", "H02AB", "X"],
  ["地塞米松", "H02AB", "X"],
  ["呋塞米", "C03CA", "X"],
  ["螺内酯", "C03DA", "X"],
  ["单硝酸异山梨酯", "C01DA", "X"],
  ["卡马西平", "N03AF", "X"],
  ["丙戊酸钠", "N03AG", "X"],
  ["连花清瘟", "A01AA", "Z"],
  ["复方丹参", "C01BA", "Z"],
  ["六味地黄", "A04BA", "Z"],
  ["板蓝根", "A01AB", "Z"],
  ["银翘解毒", "A01AC", "Z"],
  ["藿香正气", "A02AA", "Z"],
  ["速效救心", "C01BB", "Z"],
  ["通心络", "C01CA", "Z"],
];

/** Dosage forms with their insurance form code (letter + 2 digits) */
const FORMS: [string, string][] = [
  ["片剂", "A00"],
  ["胶囊剂", "A01"],
  ["颗粒剂", "A02"],
  ["缓释片", "A03"],
  ["注射剂", "B00"],
  ["注射用无菌粉末", "B01"],
  ["口服溶液剂", "C00"],
  ["滴眼剂", "D00"],
];

/** The forms a generic comes in: insulin injected, proprietary Chinese medicines taken by mouth, the rest any but eye drops */
const formsOf = (generic: string, kind: "X" | "Z"): [string, string][] =>
  generic === "胰岛素"
    ? FORMS.filter(([f]) => f === "注射剂")
    : kind === "Z"
      ? FORMS.filter(([f]) => ["片剂", "胶囊剂", "颗粒剂", "口服溶液剂"].includes(f))
      : FORMS.filter(([f]) => f !== "滴眼剂" || generic === "左氧氟沙星");

const STRENGTHS = ["0.1g", "0.25g", "0.5g", "5mg", "10mg", "20mg", "40mg", "50mg", "100mg", "250mg", "1ml:10mg", "10ml:0.1g"];
const PACKS = [6, 7, 10, 12, 14, 20, 24, 28, 30, 36, 48, 60];

const MAKERS = [
  "华北制药股份有限公司",
  "石药集团欧意药业有限公司",
  "石家庄以岭药业股份有限公司",
  "神威药业集团有限公司",
  "河北智同生物制药股份有限公司",
  "上海医药集团股份有限公司",
  "扬子江药业集团有限公司",
  "齐鲁制药有限公司",
  "江苏恒瑞医药股份有限公司",
  "浙江海正药业股份有限公司",
  "哈药集团制药总厂",
  "广州白云山医药集团股份有限公司",
  "天津天士力制药股份有限公司",
  "北京同仁堂股份有限公司",
  "四川科伦药业股份有限公司",
  "山东新华制药股份有限公司",
];
/** Foreign manufacturers of imported drugs, with the GS1 prefix of their country */
const IMPORTERS: [string, string][] = [
  ["辉瑞制药有限公司", "0300"],
  ["阿斯利康制药有限公司", "5000"],
  ["默沙东制药有限公司", "0310"],
  ["拜耳医药保健有限公司", "4006"],
  ["诺华制药有限公司", "7680"],
  ["赛诺菲制药有限公司", "3400"],
];

export const SEED_DRUG_COUNT = 4000;

/** The seed's catalogue, the same on every run: `count` drugs, about one in six imported (with a GTIN) */
export function generateDrugCatalogue(count = SEED_DRUG_COUNT): CatalogueEntry[] {
  const rng = createRng("hebei-drug-catalogue-v1");
  const products = new Map<string, number>();
  const out: CatalogueEntry[] = [];
  for (let i = 0; i < count; i++) {
    const [generic, atc, kind] = rng.pick(GENERICS);
    const [form, formCode] = rng.pick(formsOf(generic, kind));
    const strength = rng.pick(STRENGTHS);
    const pack = rng.pick(PACKS);
    const imported = kind === "X" && rng.next() < 0.17;
    const importer = imported ? rng.pick(IMPORTERS) : undefined;
    const maker = importer ? importer[0] : rng.pick(MAKERS);
    // the enterprise: its index among the makers (importers after the domestic ones), 5 digits
    const enterprise = String(importer ? MAKERS.length + IMPORTERS.indexOf(importer) + 1 : MAKERS.indexOf(maker) + 1).padStart(5, "0");
    const product = (products.get(enterprise) ?? 0) + 1;
    products.set(enterprise, product);
    const nameCode = `${String.fromCharCode(65 + (GENERICS.findIndex((g) => g[0] === generic) % 26))}${String(GENERICS.findIndex((g) => g[0] === generic) + 1).padStart(3, "0")}`;
    const spec = String(STRENGTHS.indexOf(strength) * 100 + pack).padStart(4, "0");
    const sequence = String(i + 1).padStart(6, "0");
    const category = kind === "Z" ? (rng.next() < 0.5 ? "B" : "C") : rng.next() < 0.45 ? "A" : rng.next() < 0.85 ? "B" : "C";
    const gtinBody = importer ? `${importer[1]}${String(rng.int(0, 99_999_999)).padStart(8, "0")}` : undefined;
    const year = rng.int(2018, 2025);
    out.push({
      nationalDrugCode: nationalDrugCode(`${enterprise}${String(product).padStart(5, "0")}`),
      insuranceCode: `${kind}${atc}${nameCode}${formCode}${spec}${sequence}`,
      ...(gtinBody ? { gtin: gtinBody + gtinCheckDigit(gtinBody) } : {}),
      name: `${generic}${form}（${strength}×${pack}）`,
      genericName: generic,
      dosageForm: form,
      strength,
      manufacturer: maker,
      category,
      validFrom: `${year}-01-01`,
      // about one in twenty has left the catalogue
      validTo: rng.next() < 0.05 ? `${year + 1}-12-31` : null,
    });
  }
  return out;
}
