/**
 * A population of residents and their hospital registrations, for the MPI's match-quality benchmark:
 * households drawn one after another (households.ts), every resident registered 1–4 times, each
 * registration typed with errors drawn independently (slips.ts). The world knows the truth (which
 * resident a registration belongs to); the engine never sees it. Deterministic from the seed.
 */
import { createRng } from "#lib/seed/prng.ts";
import { Households } from "./households.ts";
import { People, type Registration } from "./residents.ts";
import { Registrar } from "./slips.ts";

export interface Population {
  residentCount: number;
  records: Registration[];
  /** the resident (0-based) each record belongs to */
  truth: Int32Array;
  /** the Tag bits of each record: its slips and its resident's traits */
  tags: Int32Array;
  twins: number;
  namesakes: number;
}

export function generatePopulation(residentCount: number, seed = "bench/mpi"): Population {
  const people = new People(createRng(`${seed}/${residentCount}`));
  const households = new Households(people);
  const registrar = new Registrar(people);
  const records: Registration[] = [];
  const truth: number[] = [];
  const tags: number[] = [];
  let residents = 0;
  while (residents < residentCount) {
    const { home, members } = households.next();
    for (const member of members) {
      if (residents >= residentCount) break;
      const registrations = registrar.registrationCount();
      for (let r = 0; r < registrations; r++) {
        const { record, tag } = registrar.register(
          member,
          home,
          members.filter((m) => m !== member),
        );
        records.push(record);
        truth.push(residents);
        tags.push(tag | member.tags);
      }
      residents++;
    }
  }
  return {
    residentCount: residents,
    records,
    truth: Int32Array.from(truth),
    tags: Int32Array.from(tags),
    twins: households.twins,
    namesakes: households.namesakes,
  };
}
