/**
 * The documents desk of `npm run simulate` (docs/simulation.md, docs/documents.md): a hospital's
 * licensed clinicians publish CDA documents about residents it registered, about 4 % of them sensitive
 * (docs/consent.md); a resident documented in another city comes to a hospital, which registers them
 * (the registration desk's visitor) and, once the hub's MPI holds that record, finds and retrieves one of
 * their documents: the hospital reads only about a resident with whom it has a treatment relationship
 * (docs/push.md). Some of them sign a consent there opening their sensitive records to it.
 */
import type { Rng } from "#lib/seed/prng.ts";
import { cdaPublishBundle, consentOf, type Registration } from "#lib/world/index.ts";
import { mrnSystem } from "#schemas/patient.ts";
import type { Actor, Feps, Registered } from "./simulate-fep.ts";
import { type Clinician, type Hospital, hospitalHeaders, stamp } from "./simulate-province.ts";
import type { RegistrationDesk } from "./simulate-registration.ts";

/** The share of residents coming to a hospital in another city who sign a consent there opening their sensitive records to it */
const CONSENT_SHARE = 0.3;

export function documentsDesk(
  base: string,
  rng: Rng,
  fep: Feps,
  clinician: Clinician,
  registration: RegistrationDesk,
  telemedicine: { afterDocument(h: Hospital, resident: Registration): void },
  documentBytes: number,
) {
  /** Residents with a document dropped: what practitioners elsewhere go looking for */
  const documented: Registered[] = [];
  const retrievals = { registered: 0, unregistered: 0, searches: 0, found: 0, retrieved: 0, refused: 0, failed: 0 };
  /** Sensitive documents published, by label, and the consents residents signed (recorded, refused) */
  const privacy = {
    sensitive: { PSY: 0, HIV: 0, R: 0, SDV: 0 } as Record<string, number>,
    consents: 0,
    /** by status: a lawful hospital should see none */
    consentsRefused: {} as Record<number, number>,
  };
  /** The labels of a new document: about 4 % are sensitive (a psychiatric note, an HIV result, a restricted record, domestic violence) */
  function sensitiveLabels(): string[] {
    const r = rng.next();
    const label = r < 0.02 ? "PSY" : r < 0.028 ? "HIV" : r < 0.036 ? "R" : r < 0.04 ? "SDV" : undefined;
    if (label) privacy.sensitive[label]!++;
    return label ? [label] : [];
  }
  /** A search or retrieval that did not succeed: refused (4xx, which a lawful hospital should never see) or failed (5xx, no answer) */
  const unsuccessful = (status: number) => void (status >= 400 && status < 500 ? retrievals.refused++ : retrievals.failed++);
  /** The resident signs, at `h`, a permit opening their sensitive records to it; a child (under 14) through a guardian */
  async function signConsent(h: Hospital, mrn: string, resident: Registration, headers: Record<string, string>) {
    // an adult of the simulated population stands in for the guardian
    const minor =
      resident.birthDate !== undefined && resident.birthDate > `${new Date().getFullYear() - 14}${new Date().toISOString().slice(4, 10)}`;
    const adult = minor
      ? registration.everyone.find((e) => e.resident.residentId && (e.resident.birthDate ?? "9999") < "2000-01-01")
      : undefined;
    const consent = consentOf(
      { system: mrnSystem(h.id), value: mrn },
      {
        type: "permit",
        actors: [h.id],
        labels: ["PSY", "HIV", "R", "SDV"],
        dateTime: new Date().toISOString(),
        ...(adult ? { guardian: { residentId: adult.resident.residentId!, relationship: "GUARD" } } : {}),
      },
    );
    const signed = await fetch(`${base}/cities/${h.cityId}/fhir/Consent`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/fhir+json" },
      body: JSON.stringify(consent),
    });
    await signed.arrayBuffer();
    if (signed.status === 201) privacy.consents++;
    else privacy.consentsRefused[signed.status] = (privacy.consentsRefused[signed.status] ?? 0) + 1;
  }

  return {
    retrievals,
    privacy,
    /** A document the actor's hospital publishes in simulated hour `simHour`, about one of its residents */
    publish(actor: Actor, simHour: number) {
      const h = actor.hospital;
      const p = rng.pick(actor.residents);
      const size = Math.floor(documentBytes * (0.5 + rng.next()));
      fep.drop(
        actor,
        "document",
        cdaPublishBundle(
          h,
          clinician(h), // licensed clinical staff: an administrator or technician may not author
          `D${fep.run}-${actor.seq}`,
          { system: mrnSystem(h.id), value: p.mrn },
          p.resident,
          stamp(simHour),
          actor.seq,
          size,
          rng,
          sensitiveLabels(),
        ),
      );
      // searched for elsewhere by the resident ID number: only a cleanly registered one finds it
      if (p.clean) documented.push(p);
      if (p.clean) telemedicine.afterDocument(h, p.resident);
    },
    /**
     * A resident documented in another city comes to the actor's hospital. Its systems register them
     * (the FEP delivers the registration through the PIXm feed), and once the feed has answered (the
     * FEP files the item as sent: the hub's MPI holds the hospital's record) a licensed clinician of the
     * hospital finds and retrieves one of their documents.
     */
    async retrieve(actor: Actor, simHour: number) {
      const h = actor.hospital;
      const elsewhere = documented.filter((r) => r.hospital.cityId !== h.cityId);
      if (elsewhere.length === 0) return;
      const r = rng.pick(elsewhere);
      const { mrn, name } = registration.visitor(actor, r.resident, simHour);
      const headers = hospitalHeaders(h, clinician(h));
      try {
        if (!(await registration.delivered(actor, name))) return void retrievals.unregistered++;
        retrievals.registered++;
        // some sign a consent here: their sensitive records open to this hospital (docs/consent.md)
        if (rng.next() < CONSENT_SHARE) await signConsent(h, mrn, r.resident, headers);
        retrievals.searches++;
        const search = await fetch(
          `${base}/cities/${h.cityId}/fhir/DocumentReference?patient.identifier=${encodeURIComponent(`https://hebei.health/sid/resident-id|${r.resident.residentId}`)}`,
          { headers },
        );
        const bundle = (await search.json()) as { entry?: { resource: { content: { attachment: { url: string } }[] } }[] };
        if (!search.ok) return unsuccessful(search.status);
        const url = bundle.entry?.[0]?.resource.content[0]?.attachment.url;
        if (!url) return;
        retrievals.found++;
        const binary = await fetch(url, { headers });
        await binary.arrayBuffer();
        if (binary.ok) retrievals.retrieved++;
        else unsuccessful(binary.status);
      } catch {
        retrievals.failed++;
      }
    },
  };
}
