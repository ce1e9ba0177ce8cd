/** The cost model (lib/capacity/cost.ts) and its price table: sums that follow from the load model and the declarations. */
import { describe, expect, test } from "vitest";
import { nodeBill, provinceBill, WORKING_SECONDS_PER_MONTH } from "#lib/capacity/cost.ts";
import { AVERAGE_DAY_FRACTION_OF_PEAK, cityShare, PEAK_RATES } from "#lib/capacity/model.ts";
import { PRICES, pricesOf } from "#lib/capacity/prices.ts";
import { PROVINCE } from "#lib/config/province.ts";

const cn = PRICES["cn-north-1"]!;
const line = (bill: ReturnType<typeof nodeBill>, service: string) => bill.lines.find((l) => l.service === service)!.amount;

describe("the price table", () => {
  test("every price is positive, with its page and the date it was noted; the China regions in CNY from amazonaws.cn, estimates until checked", () => {
    for (const region of Object.values(PRICES)) {
      const all = pricesOf(region);
      expect(all.length).toBeGreaterThanOrEqual(20);
      for (const [path, price] of all) {
        expect(price.value, `${region.region} ${path}`).toBeGreaterThan(0);
        expect(price.noted, path).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(price.unit.length, path).toBeGreaterThan(0);
        if (region.region.startsWith("cn-")) {
          expect(region.currency).toBe("CNY");
          expect(price.source, path).toMatch(/^https:\/\/www\.amazonaws\.cn\//);
          expect(price.basis, path).toBe("estimate");
        } else expect(price.source, path).toMatch(/^https:\/\/aws\.amazon\.com\//);
      }
    }
  });
});

describe("the monthly bill", () => {
  test("the cities' exchanges are the province-day's requests, split by population", () => {
    const bills = provinceBill({ prices: cn });
    const perMonth = Object.values(PEAK_RATES).reduce((n, r) => n + r, 0) * AVERAGE_DAY_FRACTION_OF_PEAK * WORKING_SECONDS_PER_MONTH;
    const cities = bills.filter((b) => b.kind === "city");
    expect(cities.map((b) => b.node)).toEqual(PROVINCE.cities.map((c) => c.id));
    expect(cities.reduce((n, b) => n + b.exchanges, 0)).toBeCloseTo(perMonth, 0);
    for (const b of cities) expect(b.exchanges / perMonth).toBeCloseTo(cityShare(b.node), 9);
    expect(bills.filter((b) => b.kind !== "city").every((b) => b.exchanges === 0)).toBe(true);
  });

  test("request-driven lines double with the load; keys and alarms do not", () => {
    const one = nodeBill("city", "baoding", { prices: cn, multiple: 1 });
    const two = nodeBill("city", "baoding", { prices: cn, multiple: 2 });
    for (const service of ["Lambda", "API Gateway"]) expect(line(two, service) / line(one, service)).toBeCloseTo(2, 9);
    expect(line(two, "KMS") / line(one, "KMS")).toBeLessThan(2);
    expect(line(two, "CloudWatch") / line(one, "CloudWatch")).toBeLessThan(2);
    expect(two.total).toBeGreaterThan(one.total);
  });

  test("a larger city pays more for the same requests, in proportion for the API", () => {
    const baoding = nodeBill("city", "baoding", { prices: cn });
    const qinhuangdao = nodeBill("city", "qinhuangdao", { prices: cn });
    expect(line(baoding, "API Gateway") / line(qinhuangdao, "API Gateway")).toBeCloseTo(cityShare("baoding") / cityShare("qinhuangdao"), 9);
    expect(baoding.total).toBeGreaterThan(qinhuangdao.total);
  });

  test("documents age through the storage classes: Standard-IA from the second month, Glacier IR after a year", () => {
    const at = (month: number) => nodeBill("city", "baoding", { prices: cn, month }).lines.find((l) => l.service === "S3")!.detail;
    const gb = (detail: string, cls: string) =>
      Number(new RegExp(`([\\d.]+)(k?) GB ${cls}`).exec(detail)!.slice(1, 3).join("").replace("k", "e3"));
    expect(gb(at(1), "Standard-IA")).toBe(0);
    expect(gb(at(12), "Standard-IA")).toBeGreaterThan(0);
    expect(gb(at(12), "Glacier IR")).toBe(0);
    expect(gb(at(24), "Glacier IR")).toBeGreaterThan(0);
    const s3 = (month: number) => line(nodeBill("city", "baoding", { prices: cn, month }), "S3");
    expect(s3(24)).toBeGreaterThan(s3(12));
  });

  test("the same load on containers costs the hub's database and always-on tasks even with no requests", () => {
    const insurance = nodeBill("insurance", "insurance", { prices: cn });
    expect(insurance.containers.find((l) => l.service === "Fargate")!.detail).toMatch(/^2 tasks/);
    const hub = nodeBill("hub", "hub", { prices: cn });
    expect(hub.containers.find((l) => l.service === "RDS")!.detail).toContain("2xlarge");
    expect(hub.containersTotal).toBeGreaterThan(0);
  });
});
