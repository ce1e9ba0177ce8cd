import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isValidUscc } from "#domain/uscc.ts";
import { CITY_IDS, PROVINCE } from "#lib/config/province.ts";
import { divisionsOf } from "#lib/seed/hebei-divisions.ts";
import { generateHospitals, hospitalCountsByCity, type SeedHospital } from "#lib/seed/hospitals.ts";

const hospitals = generateHospitals();
const cityOf = (h: SeedHospital) => PROVINCE.cities.find((c) => c.id === h.cityId)!;

describe("generateHospitals", () => {
  it("generates exactly 467 hospitals", () => {
    expect(hospitals).toHaveLength(467);
  });

  it("spreads them over the cities within ±1 of population-proportional", () => {
    const total = PROVINCE.cities.reduce((s, c) => s + c.populationMillions, 0);
    const counts = hospitalCountsByCity();
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(467);
    for (const city of PROVINCE.cities) {
      const actual = hospitals.filter((h) => h.cityId === city.id).length;
      expect(actual, city.id).toBe(counts[city.id]);
      expect(Math.abs(actual - (city.populationMillions / total) * 467), city.id).toBeLessThanOrEqual(1);
    }
  });

  it("gives unique ids of the city prefix and a 3-digit sequence", () => {
    expect(new Set(hospitals.map((h) => h.id)).size).toBe(hospitals.length);
    for (const h of hospitals) expect(h.id).toMatch(new RegExp(`^${cityOf(h).hospitalIdPrefix}\\d{3}$`));
    for (const id of CITY_IDS) {
      const seqs = hospitals.filter((h) => h.cityId === id).map((h) => Number(h.id.slice(-3)));
      expect(seqs, id).toEqual(seqs.map((_, i) => i + 1));
    }
  });

  it("gives unique, Chinese hospital names", () => {
    expect(new Set(hospitals.map((h) => h.name)).size).toBe(hospitals.length);
    for (const h of hospitals) expect(h.name).toMatch(/^[\u4e00-\u9fff]+(医院|保健院)$/);
    expect(hospitals.map((h) => h.name)).toEqual(
      expect.arrayContaining(["河北医科大学第二医院", "石家庄市第一医院", "保定市中心医院", "定州市人民医院", "涿州市中医医院"]),
    );
  });

  it("places every hospital in a division of its city", () => {
    for (const h of hospitals) {
      const division = divisionsOf(h.cityId).find((d) => d.code === h.countyCode);
      expect(division, `${h.id} ${h.countyCode}`).toBeDefined();
      expect(h.countyName).toBe(division!.nameZh);
      expect(h.countyCode.startsWith(cityOf(h).adminCode)).toBe(true);
    }
  });

  it("gives valid, unique credit codes registered in the hospital's county, mostly public institutions", () => {
    expect(new Set(hospitals.map((h) => h.uscc)).size).toBe(hospitals.length);
    for (const h of hospitals) {
      expect(isValidUscc(h.uscc), `${h.id} ${h.uscc}`).toBe(true);
      expect(h.uscc.slice(2, 8)).toBe(h.countyCode);
      expect(h.uscc.slice(2, 6)).toBe(cityOf(h).adminCode);
      expect(["12", "52", "91"]).toContain(h.uscc.slice(0, 2));
    }
    const publicShare = hospitals.filter((h) => h.uscc.startsWith("12")).length / hospitals.length;
    expect(publicShare).toBeGreaterThan(0.85);
  });

  it("makes about 30% level 3, concentrated in the central districts, with more beds and staff", () => {
    const level3 = hospitals.filter((h) => h.level === 3);
    const level2 = hospitals.filter((h) => h.level === 2);
    expect(level3.length + level2.length).toBe(hospitals.length);
    expect(level3.length / hospitals.length).toBeGreaterThanOrEqual(0.27);
    expect(level3.length / hospitals.length).toBeLessThanOrEqual(0.33);
    const coreCodes = new Set(
      CITY_IDS.flatMap((id) =>
        divisionsOf(id)
          .filter((d) => d.urbanCore)
          .map((d) => d.code),
      ),
    );
    const coreShare = (hs: SeedHospital[]) => hs.filter((h) => coreCodes.has(h.countyCode)).length / hs.length;
    expect(coreShare(level3)).toBeGreaterThan(0.5);
    expect(coreShare(level2)).toBeLessThan(0.2);
    for (const h of level3) expect(h.beds, h.id).toSatisfy((b: number) => b >= 800 && b <= 3000);
    for (const h of level2) expect(h.beds, h.id).toSatisfy((b: number) => b >= 150 && b <= 800);
    const meanStaff = (hs: SeedHospital[]) => hs.reduce((s, h) => s + h.practitionerIds.length, 0) / hs.length;
    expect(meanStaff(level3)).toBeGreaterThan(meanStaff(level2) + 5);
  });

  it("gives each hospital 20 to 50 practitioners with unique ids derived from the hospital id", () => {
    const all = hospitals.flatMap((h) => h.practitionerIds);
    expect(new Set(all).size).toBe(all.length);
    for (const h of hospitals) {
      expect(h.practitionerIds.length, h.id).toBeGreaterThanOrEqual(20);
      expect(h.practitionerIds.length, h.id).toBeLessThanOrEqual(50);
      expect(h.practitionerIds).toEqual(h.practitionerIds.map((_, i) => `${h.id}-p${String(i + 1).padStart(3, "0")}`));
    }
  });

  it("is deterministic: two calls are deep-equal and match the pinned digest", () => {
    const again = generateHospitals();
    expect(again).toEqual(hospitals);
    expect(again).not.toBe(hospitals);
    // Pinned so a change of output on another machine or by accident shows; update it only on purpose.
    const digest = createHash("sha256").update(JSON.stringify(hospitals)).digest("hex");
    expect(digest).toBe("5230eb95e51594164c26be7b01835f03e948016341f8248fbe43f3d79dc1c760");
  });
});
