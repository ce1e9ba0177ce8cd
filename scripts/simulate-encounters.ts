/**
 * The encounters desk of `npm run simulate` (docs/simulation.md): the visits and stays a hospital records
 * about residents it registered, each with public health's service type and diagnoses (and a case report
 * dropped after it when one is due: scripts/simulate-public-health.ts) and, for some inpatient stays,
 * implanted devices (scripts/simulate-implants.ts); and the births and deaths in its wards
 * (scripts/simulate-vital.ts): a newborn of a mother the hospital knows, an old resident's death. A mother
 * gives birth once a day and a resident dies once, whichever hospitals know them.
 */
import type { Rng } from "#lib/seed/prng.ts";
import { encounterOf } from "#lib/world/index.ts";
import type { Actor, Feps, Registered } from "./simulate-fep.ts";
import type { implantDesk } from "./simulate-implants.ts";
import { type Clinician, stamp } from "./simulate-province.ts";
import type { publicHealthDesk } from "./simulate-public-health.ts";
import type { vitalDesk } from "./simulate-vital.ts";

interface Desks {
  publicHealth: ReturnType<typeof publicHealthDesk>;
  implants: ReturnType<typeof implantDesk>;
  vital: ReturnType<typeof vitalDesk>;
}

export function encountersDesk(rng: Rng, fep: Feps, clinician: Clinician, { publicHealth, implants, vital }: Desks) {
  let newborns = 0;
  /** Residents (by resident ID) who gave birth today or died */
  const gaveBirth = new Set<string>();
  const died = new Set<string>();
  const gone = (r: Registered) => died.has(r.resident.residentId ?? "") || gaveBirth.has(r.resident.residentId ?? "");
  /** One of the actor's residents that fits, in a few tries, or undefined */
  const some = (actor: Actor, fits: (r: Registered) => boolean) => {
    for (let tries = 0; tries < 6 && actor.residents.length > 0; tries++) {
      const r = rng.pick(actor.residents);
      if (fits(r)) return r;
    }
    return undefined;
  };

  return {
    /** An encounter the actor's hospital records in simulated hour `simHour`, about one of its residents */
    record(actor: Actor, simHour: number) {
      const h = actor.hospital;
      const p = rng.pick(actor.residents);
      const inpatient = rng.next() < 0.2;
      const number = `E${fep.run}-${actor.seq}`;
      const plain = encounterOf(h.id, number, p.mrn, inpatient, stamp(simHour), inpatient ? undefined : stamp(simHour + 0.5));
      const { encounter, message } = publicHealth.visit(h.id, plain, p.mrn, number, inpatient);
      fep.drop(actor, "encounter", implants.visit(encounter, inpatient));
      if (message) fep.drop(actor, "case-report", message);
    },
    /** A birth at the actor's hospital at `at`, to a mother it registered (none when none is found in a few tries) */
    birth(actor: Actor, at: string) {
      const h = actor.hospital;
      const mother = some(actor, (r) => vital.isMother(r.resident, at) && !gone(r));
      if (!mother) return;
      gaveBirth.add(mother.resident.residentId!);
      for (const d of vital.birth(h, clinician(h), mother.resident, () => `NB${fep.run}-${++newborns}`, at))
        fep.drop(actor, d.kind, d.resource);
    },
    /** A death at the actor's hospital at `at`, of an old resident it registered (none when none is found in a few tries) */
    death(actor: Actor, at: string) {
      const h = actor.hospital;
      // a registration without a slip: the hospital's update matches the record it fed
      const dying = some(actor, (r) => r.clean && vital.isOld(r.resident, at) && r.resident.residentId !== undefined && !gone(r));
      if (!dying) return;
      died.add(dying.resident.residentId!);
      for (const d of vital.death(h, clinician(h), dying.mrn, dying.resident, at)) fep.drop(actor, d.kind, d.resource);
      actor.residents.splice(actor.residents.indexOf(dying), 1);
    },
  };
}
