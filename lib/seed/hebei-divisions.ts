/**
 * County-level divisions of Hebei (GB/T 2260, 6-digit codes), per city: districts (区), county-level
 * cities (市) and counties (县 / 自治县). 167 in all, as after the 2020 Xingtai reorganisation
 * (襄都区, 信都区, 任泽区, 南和区). 辛集市 and 定州市 are administered directly by the province but are
 * coded under Shijiazhuang and Baoding; 容城县, 安新县 and 雄县 (Xiong'an) keep their Baoding codes.
 */
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

type Row = readonly [code: string, nameZh: string];

const ROWS: Record<SeedCityId, readonly Row[]> = {
  shijiazhuang: [
    ["130102", "长安区"],
    ["130104", "桥西区"],
    ["130105", "新华区"],
    ["130107", "井陉矿区"],
    ["130108", "裕华区"],
    ["130109", "藁城区"],
    ["130110", "鹿泉区"],
    ["130111", "栾城区"],
    ["130121", "井陉县"],
    ["130123", "正定县"],
    ["130125", "行唐县"],
    ["130126", "灵寿县"],
    ["130127", "高邑县"],
    ["130128", "深泽县"],
    ["130129", "赞皇县"],
    ["130130", "无极县"],
    ["130131", "平山县"],
    ["130132", "元氏县"],
    ["130133", "赵县"],
    ["130181", "辛集市"],
    ["130183", "晋州市"],
    ["130184", "新乐市"],
  ],
  tangshan: [
    ["130202", "路南区"],
    ["130203", "路北区"],
    ["130204", "古冶区"],
    ["130205", "开平区"],
    ["130207", "丰南区"],
    ["130208", "丰润区"],
    ["130209", "曹妃甸区"],
    ["130224", "滦南县"],
    ["130225", "乐亭县"],
    ["130227", "迁西县"],
    ["130229", "玉田县"],
    ["130281", "遵化市"],
    ["130283", "迁安市"],
    ["130284", "滦州市"],
  ],
  qinhuangdao: [
    ["130302", "海港区"],
    ["130303", "山海关区"],
    ["130304", "北戴河区"],
    ["130306", "抚宁区"],
    ["130321", "青龙满族自治县"],
    ["130322", "昌黎县"],
    ["130324", "卢龙县"],
  ],
  handan: [
    ["130402", "邯山区"],
    ["130403", "丛台区"],
    ["130404", "复兴区"],
    ["130406", "峰峰矿区"],
    ["130407", "肥乡区"],
    ["130408", "永年区"],
    ["130423", "临漳县"],
    ["130424", "成安县"],
    ["130425", "大名县"],
    ["130426", "涉县"],
    ["130427", "磁县"],
    ["130430", "邱县"],
    ["130431", "鸡泽县"],
    ["130432", "广平县"],
    ["130433", "馆陶县"],
    ["130434", "魏县"],
    ["130435", "曲周县"],
    ["130481", "武安市"],
  ],
  xingtai: [
    ["130502", "襄都区"],
    ["130503", "信都区"],
    ["130505", "任泽区"],
    ["130506", "南和区"],
    ["130522", "临城县"],
    ["130523", "内丘县"],
    ["130524", "柏乡县"],
    ["130525", "隆尧县"],
    ["130528", "宁晋县"],
    ["130529", "巨鹿县"],
    ["130530", "新河县"],
    ["130531", "广宗县"],
    ["130532", "平乡县"],
    ["130533", "威县"],
    ["130534", "清河县"],
    ["130535", "临西县"],
    ["130581", "南宫市"],
    ["130582", "沙河市"],
  ],
  baoding: [
    ["130602", "竞秀区"],
    ["130606", "莲池区"],
    ["130607", "满城区"],
    ["130608", "清苑区"],
    ["130609", "徐水区"],
    ["130623", "涞水县"],
    ["130624", "阜平县"],
    ["130626", "定兴县"],
    ["130627", "唐县"],
    ["130628", "高阳县"],
    ["130629", "容城县"],
    ["130630", "涞源县"],
    ["130631", "望都县"],
    ["130632", "安新县"],
    ["130633", "易县"],
    ["130634", "曲阳县"],
    ["130635", "蠡县"],
    ["130636", "顺平县"],
    ["130637", "博野县"],
    ["130638", "雄县"],
    ["130681", "涿州市"],
    ["130682", "定州市"],
    ["130683", "安国市"],
    ["130684", "高碑店市"],
  ],
  zhangjiakou: [
    ["130702", "桥东区"],
    ["130703", "桥西区"],
    ["130705", "宣化区"],
    ["130706", "下花园区"],
    ["130708", "万全区"],
    ["130709", "崇礼区"],
    ["130722", "张北县"],
    ["130723", "康保县"],
    ["130724", "沽源县"],
    ["130725", "尚义县"],
    ["130726", "蔚县"],
    ["130727", "阳原县"],
    ["130728", "怀安县"],
    ["130730", "怀来县"],
    ["130731", "涿鹿县"],
    ["130732", "赤城县"],
  ],
  chengde: [
    ["130802", "双桥区"],
    ["130803", "双滦区"],
    ["130804", "鹰手营子矿区"],
    ["130821", "承德县"],
    ["130822", "兴隆县"],
    ["130824", "滦平县"],
    ["130825", "隆化县"],
    ["130826", "丰宁满族自治县"],
    ["130827", "宽城满族自治县"],
    ["130828", "围场满族蒙古族自治县"],
    ["130881", "平泉市"],
  ],
  cangzhou: [
    ["130902", "新华区"],
    ["130903", "运河区"],
    ["130921", "沧县"],
    ["130922", "青县"],
    ["130923", "东光县"],
    ["130924", "海兴县"],
    ["130925", "盐山县"],
    ["130926", "肃宁县"],
    ["130927", "南皮县"],
    ["130928", "吴桥县"],
    ["130929", "献县"],
    ["130930", "孟村回族自治县"],
    ["130981", "泊头市"],
    ["130982", "任丘市"],
    ["130983", "黄骅市"],
    ["130984", "河间市"],
  ],
  langfang: [
    ["131002", "安次区"],
    ["131003", "广阳区"],
    ["131022", "固安县"],
    ["131023", "永清县"],
    ["131024", "香河县"],
    ["131025", "大城县"],
    ["131026", "文安县"],
    ["131028", "大厂回族自治县"],
    ["131081", "霸州市"],
    ["131082", "三河市"],
  ],
  hengshui: [
    ["131102", "桃城区"],
    ["131103", "冀州区"],
    ["131121", "枣强县"],
    ["131122", "武邑县"],
    ["131123", "武强县"],
    ["131124", "饶阳县"],
    ["131125", "安平县"],
    ["131126", "故城县"],
    ["131127", "景县"],
    ["131128", "阜城县"],
    ["131182", "深州市"],
  ],
};

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

function toDivisions(rows: readonly Row[]): readonly Division[] {
  return rows.map(([code, nameZh]) => ({ code, nameZh, kind: kindOf(nameZh), urbanCore: URBAN_CORE.has(code) }));
}

export const HEBEI_DIVISIONS: Readonly<Record<SeedCityId, readonly Division[]>> = {
  shijiazhuang: toDivisions(ROWS.shijiazhuang),
  tangshan: toDivisions(ROWS.tangshan),
  qinhuangdao: toDivisions(ROWS.qinhuangdao),
  handan: toDivisions(ROWS.handan),
  xingtai: toDivisions(ROWS.xingtai),
  baoding: toDivisions(ROWS.baoding),
  zhangjiakou: toDivisions(ROWS.zhangjiakou),
  chengde: toDivisions(ROWS.chengde),
  cangzhou: toDivisions(ROWS.cangzhou),
  langfang: toDivisions(ROWS.langfang),
  hengshui: toDivisions(ROWS.hengshui),
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
