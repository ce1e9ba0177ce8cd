/**
 * The claims desk of `npm run simulate` (docs/simulation.md, docs/settlement.md): a hospital's licensed
 * clinical staff submit insurance claims (through its FEP) for visits and stays of residents it
 * registered; a quarter of the outpatient claims add a medicine coded by its insurance drug code, whose
 * category the insurance platform takes from its copy of the catalogue (docs/drugs-devices.md). A claim
 * for a resident registered with a wrong check character is refused (422: insurance needs a valid
 * resident ID number).
 */
import { generateDrugCatalogue } from "#lib/seed/drugs.ts";
import type { Rng } from "#lib/seed/prng.ts";
import { claimItems, claimOf, codedDrugItem } from "#lib/world/index.ts";
import { mrnSystem } from "#schemas/patient.ts";
import type { Actor, Feps } from "./simulate-fep.ts";
import { stamp, TODAY } from "./simulate-province.ts";

export function claimsDesk(rng: Rng, fep: Feps) {
  /** The seed's drugs with an open validity, for the claims' coded medicine items */
  const drugsInForce = generateDrugCatalogue().filter((e) => e.validTo === null);
  return {
    /** A claim the actor's hospital submits in simulated hour `simHour`, about one of its residents */
    submit(actor: Actor, simHour: number) {
      const h = actor.hospital;
      const p = rng.pick(actor.residents);
      const inpatient = rng.next() < 0.15;
      const claim = claimOf(
        h,
        `C${fep.run}-${actor.seq}`,
        { system: mrnSystem(h.id), value: p.mrn },
        {
          kind: inpatient ? "institutional" : "professional",
          start: TODAY,
          created: stamp(simHour),
          items: claimItems(rng, inpatient),
        },
      );
      if (!inpatient && rng.next() < 0.25) {
        const items = claim.item as unknown[];
        items.push(codedDrugItem(items.length + 1, rng.pick(drugsInForce).insuranceCode, rng.int(5, 200)));
      }
      fep.drop(actor, "claim", claim);
    },
  };
}
