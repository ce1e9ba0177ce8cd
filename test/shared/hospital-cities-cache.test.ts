/** The hub's memory of hospitals' cities (adapters/facility-store.ts cachedHospitalCities): found once per TTL, unknown asked each time. */
import { expect, test } from "vitest";
import { cachedHospitalCities } from "#adapters/facility-store.ts";

const registry = (cities: Record<string, string>) => {
  const asked: string[] = [];
  const cityOf = async (id: string) => {
    asked.push(id);
    return cities[id];
  };
  return { asked, store: { cityOf } };
};

test("a hospital's city is read once, then remembered until the TTL passes", async () => {
  let now = 1_000;
  const { asked, store } = registry({ bd001: "baoding" });
  const cached = cachedHospitalCities(store, 60_000, () => now);
  expect(await cached.cityOf("bd001")).toBe("baoding");
  now += 59_999;
  expect(await cached.cityOf("bd001")).toBe("baoding");
  expect(asked).toEqual(["bd001"]);
  now += 1;
  expect(await cached.cityOf("bd001")).toBe("baoding");
  expect(asked).toEqual(["bd001", "bd001"]);
});

test("an unknown hospital is asked again each time, and found once registered", async () => {
  const cities: Record<string, string> = {};
  const { asked, store } = registry(cities);
  const cached = cachedHospitalCities(store, 60_000, () => 0);
  expect(await cached.cityOf("ts099")).toBeUndefined();
  expect(await cached.cityOf("ts099")).toBeUndefined();
  cities.ts099 = "tangshan";
  expect(await cached.cityOf("ts099")).toBe("tangshan");
  expect(asked).toEqual(["ts099", "ts099", "ts099"]);
});

test("each hospital is remembered apart", async () => {
  const { asked, store } = registry({ bd001: "baoding", ts001: "tangshan" });
  const cached = cachedHospitalCities(store, 60_000, () => 0);
  expect([await cached.cityOf("bd001"), await cached.cityOf("ts001"), await cached.cityOf("bd001")]).toEqual([
    "baoding",
    "tangshan",
    "baoding",
  ]);
  expect(asked).toEqual(["bd001", "ts001"]);
});
