/** Synthetic patients for tests: a hospital's MRN and a valid resident ID number (GB 11643). */
import { residentIdCheckChar } from "#domain/mpi/resident-id.ts";

const FAMILY = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
const GIVEN = ["建国", "秀英", "桂兰", "志强", "丽娟", "海燕", "国庆", "淑珍", "文斌", "红梅", "晓东", "玉兰"];

/** The `i`-th synthetic resident: a distinct, valid resident ID number under the given county code. */
export function residentId(i: number, county = "130602"): string {
  const birth = new Date(Date.UTC(1950, 0, 1) + (i % 20000) * 86_400_000).toISOString().slice(0, 10).replaceAll("-", "");
  const first17 = `${county}${birth}${String(Math.floor(i / 20000) % 1000).padStart(3, "0")}`;
  return `${first17}${residentIdCheckChar(first17)}`;
}

export function syntheticPatient(hospitalId: string, i: number, county = "130602") {
  const id = residentId(i, county);
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  return {
    resourceType: "Patient",
    identifier: [
      { system: `https://hebei.health/sid/mrn/${hospitalId}`, value: `P${String(i).padStart(7, "0")}` },
      { system: "https://hebei.health/sid/resident-id", value: id },
    ],
    name: [{ family: FAMILY[i % FAMILY.length], given: [GIVEN[Math.floor(i / FAMILY.length) % GIVEN.length]] }],
    gender: Number(id[16]) % 2 === 1 ? "male" : "female",
    birthDate: birth,
  };
}
