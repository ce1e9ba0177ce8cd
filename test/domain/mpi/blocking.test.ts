import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { blockingKeys, canonicalDate, INDEXED_KEY_PREFIXES, indexedKeys, streetPart } from "#domain/mpi/blocking.ts";
import { residentIdCheckChar } from "#domain/mpi/resident-id.ts";
import { FATHER_ID, father, SON_ID, son } from "#lib/world/households.ts";
import { parsePrefixes } from "#use-cases/mpi/reindex.ts";
import { TODAY, without } from "./fixtures.ts";

const opts = { today: TODAY };

describe("blocking keys", () => {
  it("combine name sound with birth month, birth date with sex, surname and initial, the address, the household, the phone, the number, and count the name and the home's residents", () => {
    expect(blockingKeys(father, opts).sort()).toEqual(
      [
        `id:${FATHER_ID}`,
        "nm:zanjianguo:196005",
        "bd:19600520:m:zan:j",
        "ad:zanjianguo:建设路12号",
        "hh:zan:建设路12号阳光小区3号楼2单元301室",
        "hm:石家庄市长安区建设路12号阳光小区3号楼2单元301室",
        "ph:13912345678",
        "nc:zanjianguo",
      ].sort(),
    );
  });

  it("give a homophone, a near-homophone and a day/month swap the same name keys", () => {
    const keys = (r: typeof son) => blockingKeys(r, opts).filter((k) => k.startsWith("nm:") || k.startsWith("bd:"));
    const base = keys(without(son, "residentId"));
    expect(keys({ ...without(son, "residentId"), family: "章", given: "紫晗" })).toEqual(base);
    expect(keys({ ...without(son, "residentId"), birthDate: "1988-07-09" })).toEqual(
      expect.arrayContaining(base.filter((k) => k.startsWith("bd:"))),
    );
    const swappedNm = keys({ ...without(son, "residentId"), birthDate: "1988-07-09" }).filter((k) => k.startsWith("nm:"));
    expect(swappedNm.some((k) => base.includes(k))).toBe(true);
  });

  it("never make a key of an invalid number or of one set aside", () => {
    const badCheck = `${SON_ID.slice(0, 17)}${SON_ID.charAt(17) === "1" ? "2" : "1"}`;
    expect(blockingKeys({ ...son, residentId: badCheck }, opts).some((k) => k.startsWith("id:"))).toBe(false);
    const feb30 = "13010219880230001";
    expect(blockingKeys({ ...son, residentId: feb30 + residentIdCheckChar(feb30) }, opts).some((k) => k.startsWith("id:"))).toBe(false);
    expect(blockingKeys({ ...son, residentId: FATHER_ID }, opts).some((k) => k.startsWith("id:"))).toBe(false); // contradicts
    expect(blockingKeys({ ...son, residentIdSetAside: true }, opts).some((k) => k.startsWith("id:"))).toBe(false);
  });

  it("take birth date and sex from a valid number when the record lacks them", () => {
    expect(blockingKeys(without(son, "birthDate", "sex"), opts)).toEqual(
      expect.arrayContaining(["nm:zanzihan:198807", "nm:zanzihan:198809", "bd:19880709:m:zan:z"]),
    );
  });

  it("cover both sexes when the sex is unknown, and nothing for a placeholder phone", () => {
    const keys = blockingKeys({ ...without(son, "residentId"), sex: "unknown", phone: "13800000000" }, opts);
    expect(keys.filter((k) => k.startsWith("bd:"))).toEqual(["bd:19880709:m:zan:z", "bd:19880709:f:zan:z"]);
    expect(keys.some((k) => k.startsWith("ph:"))).toBe(false);
  });

  it("reduce an address to the part below the county", () => {
    expect(streetPart("河北省唐山市迁安市振兴路160号铁路宿舍23号楼2单元401室")).toBe("振兴路160号");
    expect(streetPart("迁安市振兴路160号")).toBe("振兴路160号");
    expect(streetPart("沧州市孟村回族自治县王家镇东西村1号")).toBe("王家镇东西村1号");
    expect(streetPart("石家庄")).toBeUndefined();
  });

  it("property: a date and its day/month swap share the canonical parts", () => {
    const date = fc
      .date({ min: new Date("1900-01-01"), max: new Date("2024-12-31"), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(date, (d) => {
        const [y, m, day] = d.split("-");
        fc.pre(Number(day) <= 12);
        expect(canonicalDate(`${y}-${day}-${m}`)).toEqual(canonicalDate(d));
      }),
    );
  });
});

describe("the keys a resident is indexed under (re-index)", () => {
  it("are its records' blocking keys without the number's claim, once each, and only the kinds asked for", () => {
    const all = indexedKeys([father, son], opts);
    expect(all).not.toContain(`id:${FATHER_ID}`);
    expect(all.filter((k) => k === "ph:13912345678")).toHaveLength(1); // one phone, two records
    expect(new Set(all)).toEqual(new Set([...blockingKeys(father, opts), ...blockingKeys(son, opts)].filter((k) => !k.startsWith("id:"))));
    expect(all.every((k) => INDEXED_KEY_PREFIXES.some((p) => k.startsWith(p)))).toBe(true);
    expect(indexedKeys([father, son], opts, ["hm:"])).toEqual(["hm:石家庄市长安区建设路12号阳光小区3号楼2单元301室"]);
  });

  it("are asked for by kind as an operator types them, and an unknown kind is refused by name", () => {
    expect(parsePrefixes("hm, hh:,nc")).toEqual(["hm:", "hh:", "nc:"]);
    expect(() => parsePrefixes("hm,id")).toThrow(/--keys hm,id: each one of nm, bd, ad, hh, ph, nc, hm, hc, nb/);
    expect(() => parsePrefixes(" , ")).toThrow(RangeError);
  });
});
