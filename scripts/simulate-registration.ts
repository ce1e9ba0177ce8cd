/**
 * The registration desk of `npm run simulate` (docs/simulation.md): residents come to a hospital, most
 * new to the province (the rest of the last household drawn in its city: twins, namesakes, a shared
 * phone and address), some already registered cleanly at another hospital. The hospital's systems type
 * the registration with a named slip now and then (homophones, wrong check characters: accepted and
 * flagged; impossible birth dates: refused) and drop it for the FEP, which feeds the MPI (PIXm). Now
 * and then a resident registered before has moved: typed without the card, with a new phone and home
 * and the birth date's day and month swapped (or a day off), the record waits for review; the
 * resident's later registrations carry the new home, and answer that review (docs/mpi.md). A twin
 * registered with the other twin waiting next in the household (of one sex, names beginning alike)
 * brings the other along, typed short and without a card: that record links to the first twin until
 * the other twin's own registration comes and puts it in doubt (review). A resident documented elsewhere who comes here is
 * registered cleanly first (`visitor`).
 */
import { PROVINCE } from "#lib/config/province.ts";
import type { Rng } from "#lib/seed/prng.ts";
import { type Home, Households, People, patientOf, Registrar, type Registration, type SlipClass } from "#lib/world/index.ts";
import type { Actor, Feps, Registered } from "./simulate-fep.ts";

/** How long a visitor's registration may take to be delivered (an offline hospital catches up later) */
const REGISTRATION_WAIT_MS = 180_000;

export function registrationDesk(rng: Rng, fep: Feps) {
  const people = new People(rng);
  const households = new Households(people);
  const registrar = new Registrar(people);
  const slips: Record<"none" | "homophone" | "wrongCheck" | "impossibleDate" | "movedAway" | "twinTypedShort", number> = {
    none: 0,
    homophone: 0,
    wrongCheck: 0,
    impossibleDate: 0,
    movedAway: 0,
    twinTypedShort: 0,
  };
  /** A resident registered before, moved: no card, a new phone and home, the date's day and month swapped (or a day off) */
  function movedAway(known: Registered): Registration {
    const { residentId: _, ...resident } = known.resident;
    const home = people.homeAddress();
    const [y, m, d] = resident.birthDate!.split("-") as [string, string, string];
    const swappable = Number(d) <= 12 && m !== d;
    const dayBefore = new Date(Date.parse(`${resident.birthDate}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    // from now on the resident's registrations carry the new home
    known.resident = { ...known.resident, address: home.address };
    return { ...resident, birthDate: swappable ? `${y}-${d}-${m}` : dayBefore, phone: people.mobile(), address: home.address };
  }
  /** Every resident registered without a slip, at any hospital */
  const everyone: Registered[] = [];
  /** Residents of each city not yet seen at any hospital: the rest of the last household drawn there */
  const arrivals = new Map<string, { resident: Registration; home: Home }[]>();
  function newcomer(cityId: string): Registration {
    let queue = arrivals.get(cityId);
    if (!queue?.length) {
      const { home, members } = households.next(PROVINCE.cities.some((c) => c.id === cityId) ? cityId : undefined);
      queue = members.map(({ tags: _tags, ...resident }) => ({ resident: { ...resident, address: home.address }, home }));
      arrivals.set(cityId, queue);
    }
    return queue.shift()!.resident;
  }
  /**
   * The resident waiting next in the city's household queue when it is this one's twin whose name typed
   * short fits this one too: the same family, birth date and sex, a two-character given name beginning
   * with the same character (子轩 beside 子涵)
   */
  function twinWaiting(cityId: string, resident: Registration): Registration | undefined {
    const next = arrivals.get(cityId)?.[0]?.resident;
    if (!next || next.family !== resident.family || next.birthDate !== resident.birthDate || next.sex !== resident.sex) return undefined;
    return next.given !== resident.given && [...next.given].length === 2 && next.given[0] === resident.given[0] ? next : undefined;
  }
  /** The MRN of the actor's next item */
  const mrnOf = (actor: Actor) => `M${fep.run}-${String(actor.seq).padStart(7, "0")}`;

  return {
    slips,
    everyone,
    /** A resident registered at the actor's hospital in simulated hour `simHour`: most new to the province, some registered elsewhere */
    admit(actor: Actor, simHour: number) {
      const h = actor.hospital;
      const known = everyone.length > 20 && rng.next() < 0.12 ? rng.pick(everyone) : undefined;
      const resident = known?.resident ?? newcomer(h.cityId);
      const r = rng.next();
      if (known?.resident.birthDate && r >= 0.94) {
        // a returning resident who moved: waits for review, until a later registration of theirs answers it
        slips.movedAway++;
        const mrn = mrnOf(actor);
        fep.drop(actor, "patient", patientOf(h.id, mrn, movedAway(known)));
        actor.residents.push({ mrn, resident: known.resident, hospital: h, at: simHour, clean: false });
        return;
      }
      const drawn: SlipClass | "none" = r < 0.03 ? "homophone" : r < 0.05 ? "wrongCheck" : r < 0.06 ? "impossibleDate" : "none";
      const typed = registrar.slipped(resident, drawn);
      const slip = typed === resident ? "none" : (drawn as keyof typeof slips);
      slips[slip]++;
      const mrn = mrnOf(actor);
      fep.drop(actor, "patient", patientOf(h.id, mrn, typed));
      if (slip !== "impossibleDate") {
        const reg = { mrn, resident, hospital: h, at: simHour, clean: slip === "none" };
        actor.residents.push(reg);
        if (slip === "none") everyone.push(reg);
      }
      const twin = !known && slip === "none" ? twinWaiting(h.cityId, resident) : undefined;
      if (twin) {
        // the other twin brought along, typed short and without a card: linked to this twin until its own registration (next) puts it in doubt
        slips.twinTypedShort++;
        const { residentId: _, ...typedShort } = twin;
        fep.drop(actor, "patient", patientOf(h.id, mrnOf(actor), { ...typedShort, given: [...twin.given][0]! }));
      }
    },
    /** A resident registered elsewhere comes to the actor's hospital: registered cleanly; answers the MRN and the dropped item's name */
    visitor(actor: Actor, resident: Registration, simHour: number) {
      const h = actor.hospital;
      const mrn = mrnOf(actor);
      const name = fep.drop(actor, "patient", patientOf(h.id, mrn, resident));
      slips.none++;
      actor.residents.push({ mrn, resident, hospital: h, at: simHour, clean: true });
      return { mrn, name };
    },
    /** Whether the FEP delivered the dropped registration `name` (filed it as sent: the hub's MPI holds the record) in time */
    async delivered(actor: Actor, name: string): Promise<boolean> {
      const deadline = Date.now() + REGISTRATION_WAIT_MS;
      let where = fep.filed(actor, name);
      while (where === undefined && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        where = fep.filed(actor, name);
      }
      return where === "sent";
    },
  };
}
export type RegistrationDesk = ReturnType<typeof registrationDesk>;
