import { describe, expect, it } from "vitest";
import { CITY_IDS, PROVINCE } from "#lib/config/province.ts";
import { divisionsOf, shortDivisionName } from "#lib/seed/hebei-divisions.ts";

const all = CITY_IDS.flatMap((id) => divisionsOf(id).map((d) => ({ ...d, cityId: id })));

describe("Hebei county-level divisions", () => {
  it("has the 167 county-level divisions, with unique 6-digit codes under their city's code", () => {
    expect(all).toHaveLength(167);
    expect(new Set(all.map((d) => d.code)).size).toBe(167);
    for (const city of PROVINCE.cities) {
      for (const d of divisionsOf(city.id)) expect(d.code, d.nameZh).toMatch(new RegExp(`^${city.adminCode}\\d{2}$`));
    }
  });

  it("has the expected number per city", () => {
    const counts = Object.fromEntries(CITY_IDS.map((id) => [id, divisionsOf(id).length]));
    expect(counts).toEqual({
      shijiazhuang: 22,
      tangshan: 14,
      qinhuangdao: 7,
      handan: 18,
      xingtai: 18,
      baoding: 24,
      zhangjiakou: 16,
      chengde: 11,
      cangzhou: 16,
      langfang: 10,
      hengshui: 11,
    });
  });

  it("derives the kind from the name and has central districts in every city", () => {
    for (const d of all) {
      const expected = d.nameZh.endsWith("区") ? "district" : d.nameZh.endsWith("市") ? "city" : "county";
      expect(d.kind, d.nameZh).toBe(expected);
      if (d.urbanCore) expect(d.kind, d.nameZh).toBe("district");
    }
    for (const id of CITY_IDS)
      expect(
        divisionsOf(id).some((d) => d.urbanCore),
        id,
      ).toBe(true);
  });

  it("repeats a name only for 桥西区 and 新华区 (in different cities)", () => {
    const seen = new Map<string, number>();
    for (const d of all) seen.set(d.nameZh, (seen.get(d.nameZh) ?? 0) + 1);
    expect([...seen].filter(([, n]) => n > 1).map(([name]) => name)).toEqual(["桥西区", "新华区"]);
  });

  it.each([
    ["130181", "辛集市"],
    ["130629", "容城县"],
    ["130632", "安新县"],
    ["130638", "雄县"],
    ["130682", "定州市"],
    ["130502", "襄都区"],
    ["130284", "滦州市"],
    ["130881", "平泉市"],
    ["131028", "大厂回族自治县"],
  ])("codes %s as %s", (code, name) => {
    expect(all.find((d) => d.code === code)?.nameZh).toBe(name);
  });

  it.each([
    ["正定县", "正定"],
    ["定州市", "定州"],
    ["清苑区", "清苑"],
    ["沧县", "沧县"],
    ["峰峰矿区", "峰峰矿区"],
    ["丰宁满族自治县", "丰宁"],
    ["围场满族蒙古族自治县", "围场"],
    ["孟村回族自治县", "孟村"],
  ])("shortens %s to %s", (name, short) => {
    expect(shortDivisionName(name)).toBe(short);
  });
});
