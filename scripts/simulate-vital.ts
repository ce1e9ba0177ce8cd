/**
 * Births' and deaths' share of `npm run simulate` (docs/departments.md#deaths, #births; docs/simulation.md):
 * now and then a hospital registers a newborn of a mother it knows (the mother's resident ID in the
 * `mother` extension, a birth order, no given name yet; one in thirty births twins) and publishes the
 * birth certificate (LOINC 71230-7); now and then an old resident dies in hospital: the hospital updates
 * them through the PIXm feed with the time of death and publishes the death certificate (LOINC 64297-5).
 * The MPI marks the death and the exchange notifies public security and civil affairs, a birth public
 * security and the health commission (the local province's reference departments node receives them).
 */
import type { Rng } from "#lib/seed/prng.ts";
import { chance } from "#lib/world/draw.ts";
import { type Publisher, patientOf, publishBundle, type Registration } from "#lib/world/index.ts";
import { MOTHER_EXTENSION_URL, mrnSystem, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";

const BIRTH_CERTIFICATE = "71230-7";
const DEATH_CERTIFICATE = "64297-5";
const TWINS = 1 / 30;

/** What the hospital's systems drop for the FEP, in order: the registration, then the certificate */
type Drop = { kind: "patient" | "document"; resource: unknown };

const age = (birthDate: string | undefined, at: string): number =>
  birthDate ? Number(at.slice(0, 4)) - Number(birthDate.slice(0, 4)) : Number.NaN;
const certificate = (title: string, who: string, at: string) =>
  Buffer.from(
    `<ClinicalDocument><title>${title}</title><recordTarget>${who}</recordTarget><effectiveTime>${at}</effectiveTime></ClinicalDocument>`,
  );

/** A certificate (a CDA document typed by its LOINC code) published for the resident the hospital knows by `mrn` */
const certificateDrop = (
  h: Publisher,
  author: string | undefined,
  master: string,
  mrn: string,
  loinc: string,
  bytes: Buffer,
  at: string,
): Drop => ({
  kind: "document",
  resource: publishBundle(
    h,
    master,
    { system: mrnSystem(h.id), value: mrn },
    {
      loinc,
      date: at,
      withList: false,
      contentType: "application/xml",
      bytes,
      ...(author === undefined ? {} : { author }),
    },
  ),
});

export function vitalDesk(rng: Rng) {
  const counts = { births: 0, newborns: 0, deaths: 0 };
  return {
    counts,
    /** A mother the hospital registered (a woman of 18–45 with a resident ID), or undefined */
    isMother: (r: Registration, at: string) =>
      r.sex === "female" && r.residentId !== undefined && age(r.birthDate, at) >= 18 && age(r.birthDate, at) <= 45,
    /** A resident old enough to die in hospital in this simulation (75 and over) */
    isOld: (r: Registration, at: string) => age(r.birthDate, at) >= 75,
    /** The newborn(s) registered and each birth certificate published, under the MRNs `mrn` gives */
    birth(h: Publisher, author: string | undefined, mother: Registration, mrn: () => string, at: string): Drop[] {
      counts.births++;
      const drops: Drop[] = [];
      const babies = chance(rng, TWINS) ? 2 : 1;
      for (let order = 1; order <= babies; order++) {
        counts.newborns++;
        const number = mrn();
        const newborn = {
          resourceType: "Patient",
          identifier: [{ system: mrnSystem(h.id), value: number }],
          name: [{ family: mother.family }],
          gender: chance(rng, 0.51) ? "male" : "female",
          birthDate: at.slice(0, 10),
          ...(babies > 1 ? { multipleBirthInteger: order } : {}),
          extension: [{ url: MOTHER_EXTENSION_URL, valueIdentifier: { system: RESIDENT_ID_SYSTEM, value: mother.residentId } }],
        };
        drops.push({ kind: "patient", resource: newborn });
        drops.push(
          certificateDrop(
            h,
            author,
            `BC-${number}`,
            number,
            BIRTH_CERTIFICATE,
            certificate("出生医学证明 Birth certificate", `${mother.family} newborn ${order}`, at),
            at,
          ),
        );
      }
      return drops;
    },
    /** The resident's record updated with the time of death, then the death certificate */
    death(h: Publisher, author: string | undefined, mrn: string, resident: Registration, at: string): Drop[] {
      counts.deaths++;
      return [
        { kind: "patient", resource: { ...patientOf(h.id, mrn, resident), deceasedDateTime: at } },
        certificateDrop(
          h,
          author,
          `DC-${mrn}`,
          mrn,
          DEATH_CERTIFICATE,
          certificate("死亡医学证明 Death certificate", `${resident.family}${resident.given}`, at),
          at,
        ),
      ];
    },
    summary: () =>
      `births and deaths: ${counts.births} births (${counts.newborns} newborns registered with their certificates), ${counts.deaths} deaths reported with their certificates`,
  };
}
