/**
 * The synthetic world's homophone table (lib/seed/name-pools.ts): the desks' homophone slips draw
 * from it, and twins are named so that their given names differ in a character that is not the
 * other's homophone by it (lib/world/households.ts twinNamesDiffer). Checked here against pinyin-pro's
 * toneless default reading, outside the generator, which must not depend on the engine's comparator.
 */
import { pinyin } from "pinyin-pro";
import { describe, expect, it } from "vitest";
import { FEMALE_CHARS, HOMOPHONE_GROUPS, MALE_CHARS } from "#lib/seed/name-pools.ts";
import { twinNamesDiffer } from "#lib/world/households.ts";

const reading = (ch: string): string => pinyin(ch, { toneType: "none" });

describe("the homophone groups", () => {
  it("hold characters of one toneless reading each", () => {
    const mixed = HOMOPHONE_GROUPS.filter((g) => new Set([...g].map(reading)).size > 1);
    expect(mixed).toEqual([]);
  });

  it("put the given-name characters of the pools that read the same into one group", () => {
    const given = [...new Set([...MALE_CHARS, ...FEMALE_CHARS].map(([ch]) => ch))];
    const groupOf = (ch: string): number => HOMOPHONE_GROUPS.findIndex((g) => [...g].includes(ch));
    const bySound = new Map<string, string[]>();
    for (const ch of given) bySound.set(reading(ch), [...(bySound.get(reading(ch)) ?? []), ch]);
    const split = [...bySound.values()].filter((chars) => chars.length > 1 && new Set(chars.map(groupOf)).size > 1);
    const ungrouped = [...bySound.values()].filter((chars) => chars.length > 1 && chars.some((ch) => groupOf(ch) < 0));
    expect(split.map((c) => c.join(""))).toEqual([]);
    expect(ungrouped.map((c) => c.join(""))).toEqual([]);
  });

  it("so twins' names never differ only by a character of the same sound (军 / 俊, 宇 / 玉, 月 / 悦)", () => {
    expect(twinNamesDiffer("波军", "波俊")).toBe(false);
    expect(twinNamesDiffer("宇轩", "玉轩")).toBe(false);
    expect(twinNamesDiffer("月", "悦")).toBe(false);
    expect(twinNamesDiffer("波军", "波涛")).toBe(true);
  });
});
