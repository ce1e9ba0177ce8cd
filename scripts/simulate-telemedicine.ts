/**
 * Telemedicine's share of `npm run simulate` (docs/telemedicine.md, docs/simulation.md): after a share of
 * the documents a county (level-2) hospital publishes (default 5 %), its clinician asks for a remote read
 * or a consult on that resident (informed consent attested, a document of theirs the simulation published
 * as the supporting information, a specialty the province has experts for). The expert hospital the hub
 * dispatched to learns of it by searching its Tasks (`GET /fhir/Task?owner-organization=`), and accepts;
 * for a consult it holds and books the expert's first free slot; it works, publishes its signed report
 * through the exchange (the resident registered there first) and completes with it; the requester reads the
 * report and closes the loop (`report-reviewed`). Now and then an expert declines (10 %: the hub dispatches
 * the Task again, to another) or lets the accept deadline pass (5 %: the Task stays open; the simulation
 * does not move the province clock, so the KPIs show it open). Every draw is the desk's seeded RNG, at the
 * moment the document is dropped. The report prints the hub's KPIs (`GET /hub/telemedicine/kpis`, operator).
 */
import { randomUUID } from "node:crypto";
import type { Rng } from "#lib/seed/prng.ts";
import { chance, sampler } from "#lib/world/draw.ts";
import { patientOf, publishBundle, type Registration } from "#lib/world/index.ts";
import { mrnSystem, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { DEPARTMENT_SYSTEM } from "#schemas/registry-codes.ts";
import { INFORMED_CONSENT_URL, OWNER_ORGANIZATION_URL, TELEMEDICINE_CATEGORY_SYSTEM } from "#schemas/telemedicine.ts";

interface Desk {
  id: string;
  cityId: string;
  level: number;
  credential: string;
  practitioners: string[];
}
type Json = Record<string, unknown>;
type Plan = { category: string; specialty: string; fate: "decline" | "lapse" | "accept" };

export const TELEMEDICINE_SHARES = { request: 0.05, decline: 0.1, lapse: 0.05 };
/** What county hospitals ask for, and of which specialty (each has experts in the seed) */
const ASKED = [
  ["imaging-read/medical-imaging", 35],
  ["ecg-read/internal-medicine", 20],
  ["consult/internal-medicine", 30],
  ["consult/surgery", 15],
] as const;
/** How long a flow waits for the record locator to know a document (the FEP delivers, the outbox forwards) */
const DOCUMENT_WAIT_MS = 180_000;

export function telemedicineDesk<H extends Desk>(base: string, rng: Rng, hospitals: H[], operator: string | undefined, share: number) {
  const asked = sampler(rng, ASKED);
  const counts = {
    requested: 0,
    noDocument: 0,
    noExpert: 0,
    declined: 0,
    lapsed: 0,
    accepted: 0,
    booked: 0,
    reported: 0,
    closedLoop: 0,
    retried: 0,
    failed: {} as Record<string, number>,
  };
  const pending: Promise<void>[] = [];
  const byId = new Map(hospitals.map((h) => [h.id, h]));
  /** the days (UTC, on the province clock) this run's Tasks were requested on: the KPIs' range */
  const days = new Set<string>();
  let seq = 0;
  const run = randomUUID().slice(0, 8);
  let orders = 0;

  const send = async (h: H, method: string, path: string, body?: unknown, practitioner: string | null = h.practitioners[0]!) => {
    const res = await fetch(`${base}/cities/${h.cityId}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${h.credential}`,
        accept: "application/fhir+json",
        ...(body ? { "content-type": "application/fhir+json" } : {}),
        ...(practitioner ? { "x-practitioner-id": practitioner } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, json: (await res.json().catch(() => ({}))) as Json };
  };
  /** A step's answer, or the flow stops, counted under the step and status */
  const expect = async (step: string, wanted: number, answer: Promise<{ status: number; json: Json }>) => {
    const res = await answer;
    if (res.status !== wanted) throw new Error(`${step} ${res.status}`);
    return res.json;
  };
  /** The request, retried as the FEP retries (twice, 1 s then 2 s apart) while the answer is a 5xx or 429: 201, or 200 for a retry the first attempt had made */
  const requested = async (h: H, request: Json) => {
    for (let attempt = 0; ; attempt++) {
      const res = await send(h, "POST", "/fhir/ServiceRequest", request);
      if (res.status === 201 || res.status === 200) return res.json;
      if (attempt === 2 || (res.status < 500 && res.status !== 429)) throw new Error(`request ${res.status}`);
      counts.retried++;
      await new Promise((r) => setTimeout(r, 1000 * 2 ** attempt));
    }
  };
  const version = (resource: Json) => `W/"${(resource.meta as { versionId: string }).versionId}"`;
  const move = (h: H, task: Json, body: Json) =>
    fetch(`${base}/cities/${h.cityId}/fhir/Task/${String(task.id)}`, {
      method: "PUT",
      headers: {
        authorization: `Bearer ${h.credential}`,
        "content-type": "application/fhir+json",
        "x-practitioner-id": h.practitioners[0]!,
        "if-match": version(task),
      },
      body: JSON.stringify({ resourceType: "Task", ...body }),
    }).then(async (res) => ({ status: res.status, json: (await res.json()) as Json }));
  const ownerOf = (task: Json) =>
    byId.get(
      String(
        (task.extension as { url: string; valueReference: { reference: string } }[] | undefined)
          ?.find((e) => e.url === OWNER_ORGANIZATION_URL)
          ?.valueReference.reference.split("/")[1],
      ),
    );
  /** The resident's current documents as `h` finds them (ids), polled until `fits` or the wait ends */
  async function documents(h: H, residentId: string, fits: (ids: string[]) => boolean): Promise<string[]> {
    const query = `/fhir/DocumentReference?patient.identifier=${encodeURIComponent(`${RESIDENT_ID_SYSTEM}|${residentId}`)}`;
    const until = Date.now() + DOCUMENT_WAIT_MS;
    for (;;) {
      const found = await send(h, "GET", query);
      const ids = ((found.json.entry as { resource: { id: string } }[] | undefined) ?? []).map((e) => e.resource.id);
      if (fits(ids) || Date.now() > until) return ids;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  /** The expert's hospital: finds the Task among its own, then accepts or declines or lets it lapse */
  async function expert(requester: H, first: Json, plan: Plan, resident: Registration): Promise<void> {
    let task = first;
    let fate = plan.fate;
    for (;;) {
      const owner = ownerOf(task);
      if (!owner) return void counts.noExpert++;
      const mine = await expect(
        "owner's Task search",
        200,
        send(owner, "GET", `/fhir/Task?owner-organization=${owner.id}&status=requested`),
      );
      const found = ((mine.entry as { resource: Json }[] | undefined) ?? []).find((e) => e.resource.id === task.id)?.resource;
      if (!found) throw new Error("the owner's search misses its Task");
      if (fate === "lapse") return void counts.lapsed++;
      if (fate === "decline") {
        await expect("decline", 200, move(owner, found, { status: "rejected", statusReason: { text: "no capacity this week" } }));
        counts.declined++;
        fate = "accept"; // the next expert accepts
        task = await expect("requester's read", 200, send(requester, "GET", `/fhir/Task/${String(task.id)}`));
        continue;
      }
      let current = await expect("accept", 200, move(owner, found, { status: "accepted" }));
      counts.accepted++;
      if (plan.category === "consult") {
        const actor = String((current.owner as { reference: string }).reference);
        const slots = await expect("slot search", 200, send(owner, "GET", `/fhir/Slot?schedule.actor=${actor}&status=free&_count=1`));
        const slot = (slots.entry as { resource: { id: string } }[] | undefined)?.[0]?.resource.id;
        if (!slot) throw new Error("no free slot");
        const parameter = [
          { name: "slot", valueReference: { reference: `Slot/${slot}` } },
          { name: "task", valueReference: { reference: `Task/${String(task.id)}` } },
          { name: "patient", valueReference: { reference: String((current.for as { reference: string }).reference) } },
        ];
        const held = await expect("$hold", 201, send(owner, "POST", "/fhir/Appointment/$hold", { resourceType: "Parameters", parameter }));
        const appointment = [{ name: "appointment", valueReference: { reference: `Appointment/${String(held.id)}` } }];
        await expect("$book", 200, send(owner, "POST", "/fhir/Appointment/$book", { resourceType: "Parameters", parameter: appointment }));
        counts.booked++;
        current = await expect("owner's read", 200, send(owner, "GET", `/fhir/Task/${String(task.id)}`));
      }
      current = await expect("in-progress", 200, move(owner, current, { status: "in-progress" }));
      // the signed report, published through the exchange for the resident registered here first
      const mrn = `TM-${String(task.id).slice(0, 18)}`;
      const registered = await send(owner, "POST", "/fhir/Patient", patientOf(owner.id, mrn, resident), null);
      if (registered.status >= 300) throw new Error(`owner's registration ${registered.status}`);
      const bytes = Buffer.from(`<ClinicalDocument><title>telemedicine report</title><id>${String(task.id)}</id></ClinicalDocument>`);
      const published = await expect(
        "report publish",
        201,
        send(
          owner,
          "POST",
          "/fhir",
          publishBundle(owner, `TMR-${String(task.id)}`, { system: mrnSystem(owner.id), value: mrn }, { bytes, withList: false }),
        ),
      );
      const report = String((published.entry as { response: { location: string } }[])[0]!.response.location).split("/")[1]!;
      if (!(await documents(owner, resident.residentId!, (ids) => ids.includes(report))).includes(report))
        throw new Error("the report never reached the record locator");
      await expect(
        "complete",
        200,
        move(owner, current, { status: "completed", output: [{ valueReference: { reference: `DocumentReference/${report}` } }] }),
      );
      counts.reported++;
      // the requester reads the report's Task and closes the loop
      const done = await expect("requester's read", 200, send(requester, "GET", `/fhir/Task/${String(task.id)}`));
      await expect(
        "review",
        200,
        move(requester, done, { status: "completed", businessStatus: { coding: [{ code: "report-reviewed" }] } }),
      );
      counts.closedLoop++;
      return;
    }
  }
  async function flow(h: H, resident: Registration, plan: Plan) {
    try {
      // a document of the resident the simulation published (the FEP delivers it; the hub's record locator learns of it)
      const [document] = await documents(h, resident.residentId!, (ids) => ids.length > 0);
      if (!document) return void counts.noDocument++;
      const request = {
        resourceType: "ServiceRequest",
        // the hospital's order number: a retry after a timeout finds the first attempt's Task
        identifier: [{ system: `urn:hebei-health:${h.id}:telemedicine-orders`, value: `${run}-${++orders}` }],
        category: [{ coding: [{ system: TELEMEDICINE_CATEGORY_SYSTEM, code: plan.category }] }],
        priority: "routine",
        subject: { identifier: { system: RESIDENT_ID_SYSTEM, value: resident.residentId } },
        performerType: { coding: [{ system: DEPARTMENT_SYSTEM, code: plan.specialty }] },
        reasonCode: [{ text: plan.category === "consult" ? "a second opinion on the treatment" : "a remote read of the study" }],
        supportingInfo: [{ reference: `DocumentReference/${document}` }],
        extension: [{ url: INFORMED_CONSENT_URL, valueBoolean: true }],
      };
      const created = await requested(h, request);
      counts.requested++;
      const task = (created.entry as { resource: Json }[]).find((e) => e.resource.resourceType === "Task")!.resource;
      days.add(String(task.authoredOn).slice(0, 10));
      await expert(h, task, plan, resident);
    } catch (error) {
      // the step that went wrong (and its status), counted
      const key = error instanceof Error ? error.message : String(error);
      counts.failed[key] = (counts.failed[key] ?? 0) + 1;
    }
  }

  return {
    counts,
    /** After `h` dropped a document of a resident registered cleanly there: a county hospital asks for help in `share` of them */
    afterDocument(h: H, resident: Registration) {
      if (h.level !== 2 || !resident.residentId || !chance(rng, share)) return;
      const [category, specialty] = asked().split("/") as [string, string];
      const r = rng.next();
      const fate =
        r < TELEMEDICINE_SHARES.decline ? "decline" : r < TELEMEDICINE_SHARES.decline + TELEMEDICINE_SHARES.lapse ? "lapse" : "accept";
      seq++;
      pending.push(flow(h, resident, { category, specialty, fate }));
    },
    settled: () => Promise.all(pending),
    summary: () =>
      `telemedicine (${(share * 100).toFixed(0)} % of county hospitals' documents asked about; experts decline ${TELEMEDICINE_SHARES.decline * 100} %, let ${TELEMEDICINE_SHARES.lapse * 100} % lapse): ${seq} drawn, ${counts.requested} requested (${counts.noDocument} without a document in time, ${counts.noExpert} without an expert), ${counts.declined} declined and dispatched again, ${counts.lapsed} left to lapse, ${counts.accepted} accepted, ${counts.booked} sessions booked, ${counts.reported} reports, ${counts.closedLoop} loops closed; retried ${counts.retried}, failed ${JSON.stringify(counts.failed)}`,
    /** The hub's figures over the days this run requested on (every Task of those days, this run's or not), as the operator reads them */
    async kpis(): Promise<{ text: string; figures?: Json }> {
      const sorted = [...days].sort();
      if (!operator || sorted.length === 0) return { text: "telemedicine KPIs: no request made, or no operator credential" };
      const [from, to] = [sorted[0]!, sorted.at(-1)!];
      const res = await fetch(`${base}/hub/telemedicine/kpis?from=${from}&to=${to}`, { headers: { authorization: `Bearer ${operator}` } });
      if (!res.ok) return { text: `telemedicine KPIs: the hub answered ${res.status}` };
      const figures = (await res.json()) as { total: Json; tiers: Json[] };
      const line = (k: Json) =>
        `requests ${k.requests}, assigned in time ${k.assignedWithinDeadlinePct} %, accepted in time ${k.acceptedWithinDeadlinePct} %, turnaround p50 ${(k.turnaroundMinutes as Json | undefined)?.p50} min, re-dispatches ${k.redispatches}, escalations ${k.escalations}, no-shows ${k.noShows}, closed loop ${k.closedLoopPct} %`;
      const tiers = figures.tiers.map((k) => `${String(k.tier)}: ${line(k)}`);
      return { text: `telemedicine KPIs (the hub's, ${from} to ${to}): ${line(figures.total)}\n  ${tiers.join("\n  ")}`, figures };
    },
  };
}
