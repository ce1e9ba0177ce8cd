/** A household of the tests: a father, his son, the son's twin sister, and a stranger of the father's name. */
import type { MatchRecord, Resident } from "#domain/mpi/record.ts";
import { makeResidentId } from "#domain/mpi/resident-id.ts";
import { decide } from "#domain/mpi/scorer.ts";

export const TODAY = "2025-06-30";
export const HOME = "河北省石家庄市长安区建设路12号阳光小区3号楼2单元301室";

export const FATHER_ID = makeResidentId("130102", "1960-05-20", "011");
export const SON_ID = makeResidentId("130102", "1988-09-07", "013");
export const DAUGHTER_ID = makeResidentId("130102", "1988-09-07", "024");

export const father: MatchRecord = {
  residentId: FATHER_ID,
  family: "张",
  given: "建国",
  sex: "male",
  birthDate: "1960-05-20",
  phone: "13912345678",
  address: HOME,
};
export const son: MatchRecord = {
  residentId: SON_ID,
  family: "张",
  given: "子涵",
  sex: "male",
  birthDate: "1988-09-07",
  phone: "13912345678",
  address: HOME,
};
/** the son's twin: same family name, birth date, phone and address; another given name */
export const daughter: MatchRecord = { ...son, residentId: DAUGHTER_ID, given: "子萱", sex: "female" };
/** the father's namesake: same name, same birth year, nothing else in common */
export const namesake: MatchRecord = {
  family: "张",
  given: "建国",
  sex: "male",
  birthDate: "1960-11-02",
  phone: "15830001234",
  address: "河北省唐山市迁西县小庄镇柳高村137号",
};

export function without<K extends keyof MatchRecord>(record: MatchRecord, ...fields: K[]): MatchRecord {
  const copy = { ...record };
  for (const f of fields) delete copy[f];
  return copy;
}

/** A resident holding the records as the index would store them. */
export function residentOf(empi: string, ...records: MatchRecord[]): Resident {
  const stored = records.map((r) => decide(r, [], { today: TODAY }));
  const residentId = stored.find((d) => d.residentIdKey)?.residentIdKey;
  return { empi, version: 1, records: stored.map((d) => d.record), ...(residentId ? { residentId } : {}) };
}
