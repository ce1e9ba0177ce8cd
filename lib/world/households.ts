/**
 * Households: the people who share an address and, for children and some elderly, a phone. Singles,
 * couples, couples with one or two children (about 6 % of two-children families are twins), now and
 * then a grandparent; a head is sometimes a namesake of an earlier head (same name and birth year,
 * nothing else in common). And the one household the tests know by name: the Zhangs of Chang'an.
 */
import { makeResidentId } from "#domain/mpi/resident-id.ts";
import type { Home, People, Registration, Resident, Sex } from "./residents.ts";
import { HOMOPHONES, RATES, Tag } from "./slips.ts";

export interface Household {
  home: Home;
  /** the head first */
  members: Resident[];
}

/** Draws households one after another; remembers the heads so that a later one can be a namesake. */
export class Households {
  private readonly heads: Resident[] = [];
  twins = 0;
  namesakes = 0;

  constructor(private readonly people: People) {}

  /** The next household, in a city drawn by population or in `cityId`. */
  next(cityId?: string): Household {
    const p = this.people;
    const { rng } = p;
    const home = p.homeAddress(cityId);
    const headSex = p.chance(0.5) ? "male" : "female";
    let head = p.person(headSex, rng.int(1940, 2002), p.surname(), home.region, p.mobile());
    const source = this.heads.length > 0 && p.chance(RATES.namesakeHead) ? rng.pick(this.heads) : undefined;
    if (source) {
      const birthDate = p.dateIn(Number(source.birthDate.slice(0, 4)));
      head = { ...p.person(source.sex, 2000, source.family, home.region, p.mobile(), birthDate, source.given), tags: Tag.namesake };
      this.namesakes++;
    }
    this.heads.push(head);
    const members: Resident[] = [head];
    const headYear = Number(head.birthDate.slice(0, 4));
    const kind = rng.next();
    if (kind > 0.25) {
      const spouseSex = head.sex === "male" ? "female" : "male";
      const spouseYear = Math.min(2002, headYear + rng.int(-4, 4));
      members.push(p.person(spouseSex, spouseYear, p.surname(), home.region, p.mobile()));
      const father = head.sex === "male" ? head : members[1]!;
      const mother = head.sex === "male" ? members[1]! : head;
      const children = kind > 0.8 ? 2 : kind > 0.45 ? 1 : 0;
      const childYear = Math.min(2024, Math.max(headYear, spouseYear) + rng.int(22, 34));
      const childFamily = p.chance(0.9) ? father.family : mother.family;
      const childPhone = (y: number): string => (y > 2008 ? rng.pick([father.phone, mother.phone]) : p.mobile());
      if (children === 2 && p.chance(RATES.twinsOfTwoChildren)) {
        const birthDate = p.dateIn(childYear);
        const sexes: Sex[] = p.chance(0.5) ? ["male", "female"] : p.chance(0.5) ? ["male", "male"] : ["female", "female"];
        const a = p.person(sexes[0]!, childYear, childFamily, home.region, childPhone(childYear), birthDate);
        const b = p.person(sexes[1]!, childYear, childFamily, home.region, a.phone, birthDate, this.twinName(a, sexes[1]!));
        a.tags = Tag.twin;
        b.tags = Tag.twin;
        members.push(a, b);
        this.twins += 2;
      } else {
        for (let i = 0; i < children; i++) {
          const y = Math.min(2024, childYear + i * rng.int(1, 5));
          members.push(p.person(p.chance(0.5) ? "male" : "female", y, childFamily, home.region, childPhone(y)));
        }
      }
      if (kind > 0.95 && headYear > 1965) {
        const elderYear = headYear - rng.int(24, 32);
        members.push(
          p.person(p.chance(0.5) ? "male" : "female", elderYear, father.family, home.region, p.chance(0.4) ? head.phone : p.mobile()),
        );
      }
    }
    return { home, members };
  }

  /** A twin's given name: often sharing the first character (子涵 / 子轩), never sounding the same (twinNamesDiffer). */
  private twinName(a: Resident, sex: Sex): string {
    const p = this.people;
    const pick = sex === "male" ? p.maleChar : p.femaleChar;
    for (;;) {
      const candidate = a.given.length === 2 && p.chance(0.5) ? a.given.charAt(0) + pick() : p.givenName(sex, 2010);
      if (twinNamesDiffer(a.given, candidate)) return candidate;
    }
  }
}

/**
 * Whether parents would give these two given names to twins, by the generator's own tables (no
 * comparator of the engine): of the same length, at least one character differs in place from the
 * other's and is not its homophone (HOMOPHONE_GROUPS: 子涵 / 子轩 yes, 子涵 / 子晗 or 紫涵 no); of
 * different lengths, neither is the other with a character left out (超 / 超宇 no: one name typed
 * short). Names that only nearly sound alike (思涵 / 诗涵) are allowed: parents choose them.
 */
export function twinNamesDiffer(a: string, b: string): boolean {
  const ca = [...a];
  const cb = [...b];
  const alike = (x: string, y: string): boolean => x === y || (HOMOPHONES.get(x)?.includes(y) ?? false);
  if (ca.length === cb.length) return ca.some((x, i) => !alike(x, cb[i]!));
  const [short, long] = ca.length < cb.length ? [ca, cb] : [cb, ca];
  if (long.length !== short.length + 1) return true;
  for (let skip = 0; skip < long.length; skip++) {
    const rest = long.filter((_, i) => i !== skip);
    if (rest.every((x, i) => alike(x, short[i]!))) return false;
  }
  return true;
}

/**
 * The household of the tests and small benches: a father, his son, the son's twin sister (same
 * family name, birth date, phone and address), the father's namesake elsewhere; and a woman who is
 * registered again in another city with day and month swapped, a new phone and address.
 */
export const HOME = "河北省石家庄市长安区建设路12号阳光小区3号楼2单元301室";
export const FATHER_ID = makeResidentId("130102", "1960-05-20", "011");
export const SON_ID = makeResidentId("130102", "1988-09-07", "013");
export const DAUGHTER_ID = makeResidentId("130102", "1988-09-07", "024");

export const father: Registration = {
  residentId: FATHER_ID,
  family: "张",
  given: "建国",
  sex: "male",
  birthDate: "1960-05-20",
  phone: "13912345678",
  address: HOME,
};
export const son: Registration = {
  residentId: SON_ID,
  family: "张",
  given: "子涵",
  sex: "male",
  birthDate: "1988-09-07",
  phone: "13912345678",
  address: HOME,
};
/** the son's twin sister: same family name, birth date, phone and address; another given name */
export const daughter: Registration = { ...son, residentId: DAUGHTER_ID, given: "子萱", sex: "female" };
/** the father's namesake: same name, same birth year, nothing else in common */
export const namesake: Registration = {
  family: "张",
  given: "建国",
  sex: "male",
  birthDate: "1960-11-02",
  phone: "15830001234",
  address: "河北省唐山市迁西县小庄镇柳高村137号",
};
/** a woman, and the same woman registered elsewhere with day and month swapped, a new phone and address: a case for review */
export const reviewed: Registration = {
  family: "李",
  given: "秀英",
  sex: "female",
  birthDate: "1975-03-08",
  phone: "13700001234",
  address: "河北省保定市竞秀区朝阳南大街5号",
};
export const reviewedElsewhere: Registration = {
  ...reviewed,
  birthDate: "1975-08-03",
  phone: "15000000009",
  address: "河北省邯郸市丛台区中华大街1号",
};
