/** FHIR Patients of a test household, as hospital FEPs would feed them. */
import { makeResidentId } from "#domain/mpi/resident-id.ts";
import { type FeedPatient, mrnSystem } from "#schemas/patient.ts";
import { patientFromRecord } from "#use-cases/mpi/patient-record.ts";

export const HOME = "河北省石家庄市长安区建设路12号阳光小区3号楼2单元301室";
export const FATHER_ID = makeResidentId("130102", "1960-05-20", "011");
export const SON_ID = makeResidentId("130102", "1988-09-07", "013");
export const DAUGHTER_ID = makeResidentId("130102", "1988-09-07", "024");

export interface PersonData {
  residentId?: string;
  healthCard?: string;
  family: string;
  given: string;
  gender?: "male" | "female";
  birthDate?: string;
  phone?: string;
  address?: string;
}

export const father: PersonData = {
  residentId: FATHER_ID,
  family: "张",
  given: "建国",
  gender: "male",
  birthDate: "1960-05-20",
  phone: "13912345678",
  address: HOME,
};
export const son: PersonData = {
  residentId: SON_ID,
  family: "张",
  given: "子涵",
  gender: "male",
  birthDate: "1988-09-07",
  phone: "13912345678",
  address: HOME,
};
/** the son's twin sister: same family name, birth date, phone and address */
export const daughter: PersonData = { ...son, residentId: DAUGHTER_ID, given: "子萱", gender: "female" };

export function patientOf(hospitalId: string, mrn: string, { gender, ...p }: PersonData): FeedPatient {
  return patientFromRecord({ ...p, ...(gender ? { sex: gender } : {}) }, { system: mrnSystem(hospitalId), value: mrn });
}

/** a woman, and the same woman registered elsewhere with day and month swapped, a new phone and address: a case for review */
export const reviewed: PersonData = {
  family: "李",
  given: "秀英",
  gender: "female",
  birthDate: "1975-03-08",
  phone: "13700001234",
  address: "河北省保定市竞秀区朝阳南大街5号",
};
export const reviewedElsewhere: PersonData = {
  ...reviewed,
  birthDate: "1975-08-03",
  phone: "15000000009",
  address: "河北省邯郸市丛台区中华大街1号",
};

/** the same number with its check character replaced by a wrong one */
export function withBadCheck(residentId: string): string {
  const wrong = "0123456789X".split("").find((c) => c !== residentId.charAt(17))!;
  return residentId.slice(0, 17) + wrong;
}
