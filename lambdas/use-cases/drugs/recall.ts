/**
 * Device recalls at the hub (docs/drugs-devices.md#recall).
 * recallQuery — input: a DI and optionally a lot (the operator's query). Output: every resident who
 *   received a device of that DI (and lot), with hospital and encounter, grouped by hospital, and the
 *   registry's entry of the DI when it holds one. Primary course: DI checked (400 naming `di`), lot
 *   checked (400 naming `lot`), the index read (every shard of the DI), audited (the residents it names).
 * issueRecall — input: DI, lot (absent: every lot), reason. Output: the recall, 201 when issued now, 200
 *   when it was issued before (idempotent by DI and lot: nothing is sent twice). Primary course: the
 *   affected implants read as above → the recall recorded (a conditional put) → one Communication per
 *   affected hospital to its FEP inbox (its id fixed by DI, lot and hospital: a re-send after a crash is
 *   stored once) naming each resident and encounter → the recall marked sent → audited.
 */
import { createHash } from "node:crypto";
import { deviceDefinition, diProblems } from "#domain/drugs/devices.ts";
import { BadRequestError } from "#domain/errors.ts";
import type { ImplantIndex, ImplantRecord, Recall, RecallStore } from "#ports/devices.ts";
import type { DeviceRegistryStore } from "#ports/drugs.ts";
import type { InboxSender } from "#ports/push.ts";
import { DEVICE_LOT, type RecallRequest } from "#schemas/drugs.ts";
import type { InboxCommunication } from "#schemas/messages.ts";

export interface RecallDeps {
  implants: ImplantIndex;
  recalls: RecallStore;
  registry: DeviceRegistryStore;
  inbox: InboxSender;
  now: () => Date;
  /** Records the access to these residents (EMPIs): the query's read, or the notice sent about them */
  audit: (empis: string[], access: "query" | "notice") => Promise<void>;
  /** Counts an issued recall (the dashboard) */
  countRecall?: () => Promise<void>;
}

function checked(di: string | undefined, lot: string | undefined) {
  if (!di) throw new BadRequestError("di: required (a UDI-DI)", "di");
  const problem = diProblems(di)[0];
  if (problem) throw new BadRequestError(`di: ${problem}`, "di");
  if (lot !== undefined && !DEVICE_LOT.test(lot)) throw new BadRequestError("lot: 1 to 20 of GS1's characters", "lot");
  return { di, lot };
}

const order = (a: ImplantRecord, b: ImplantRecord) =>
  a.hospitalId.localeCompare(b.hospitalId) || a.encounterId.localeCompare(b.encounterId) || a.deviceId.localeCompare(b.deviceId);

/** Implants (in `order`) grouped by hospital */
function byHospital(implants: ImplantRecord[]) {
  const groups = new Map<string, ImplantRecord[]>();
  for (const implant of implants) groups.set(implant.hospitalId, [...(groups.get(implant.hospitalId) ?? []), implant]);
  return [...groups.values()];
}

const residentsOf = (implants: ImplantRecord[]) => [...new Set(implants.map((i) => i.empi))];

export async function recallQuery(deps: RecallDeps, rawDi: string | undefined, rawLot: string | undefined) {
  const { di, lot } = checked(rawDi, rawLot);
  const [found, registered] = await Promise.all([deps.implants.byDi(di, lot), deps.registry.byDis([di])]);
  const implants = found.sort(order);
  const entry = registered.get(di);
  const residents = residentsOf(implants);
  await deps.audit(residents, "query");
  return {
    di,
    ...(lot ? { lot } : {}),
    ...(entry ? { definition: deviceDefinition(entry) } : {}),
    residents: residents.length,
    implants: implants.length,
    hospitals: byHospital(implants).map((group) => ({
      hospitalId: group[0]!.hospitalId,
      cityId: group[0]!.cityId,
      implants: group.map((i) => ({
        empi: i.empi,
        encounter: `Encounter/${i.encounterId}`,
        device: i.deviceId,
        ...(i.lot ? { lot: i.lot } : {}),
        ...(i.serial ? { serial: i.serial } : {}),
        ...(i.expiryDate ? { expiryDate: i.expiryDate } : {}),
        at: i.at,
      })),
    })),
  };
}

export const RECALL_CATEGORY = "device-recall";

/** The Communication to one affected hospital: each resident and encounter in its payload, the reason in its note */
export function recallCommunication(recall: Recall, hospitalId: string, implants: ImplantRecord[]): InboxCommunication {
  const id = createHash("sha256")
    .update(`${recall.di}|${recall.lot ?? "*"}|${hospitalId}`)
    .digest("hex")
    .slice(0, 40);
  const what = `${recall.di}${recall.lot ? ` lot ${recall.lot}` : " (every lot)"}`;
  return {
    resourceType: "Communication",
    id: `recall-${id}`,
    status: "completed",
    sent: recall.issuedAt,
    recipient: [{ reference: `Organization/${hospitalId}` }],
    payload: [
      ...residentsOf(implants).map((empi) => ({ contentReference: { reference: `Patient/${empi}` } })),
      ...[...new Set(implants.map((i) => i.encounterId))].map((id) => ({ contentReference: { reference: `Encounter/${id}` } })),
    ],
    basedOn: [{ reference: `DeviceDefinition/${recall.di}` }],
    category: [{ text: RECALL_CATEGORY }],
    note: [{ text: `Recall of device ${what}: ${recall.reason}. ${implants.length} implant(s) at this hospital.`.slice(0, 1000) }],
  };
}

export async function issueRecall(deps: RecallDeps, request: RecallRequest) {
  const { di, lot } = checked(request.di, request.lot);
  const existing = await deps.recalls.get(di, lot);
  if (existing?.sent) return { statusCode: 200 as const, recall: existing };
  const implants = (await deps.implants.byDi(di, lot)).sort(order);
  const groups = byHospital(implants);
  const fresh: Recall = {
    di,
    ...(lot ? { lot } : {}),
    reason: request.reason,
    issuedAt: deps.now().toISOString(),
    sent: false,
    hospitals: groups.map((g) => g[0]!.hospitalId),
    residents: residentsOf(implants).length,
  };
  // a recall recorded before but not sent (interrupted): sent now as recorded, its reason and time kept
  const created = existing ? false : await deps.recalls.create(fresh);
  const recall = existing ?? (created ? fresh : await deps.recalls.get(di, lot));
  if (!recall) throw new Error("the recall vanished between its write and its read");
  if (!created && recall.sent) return { statusCode: 200 as const, recall };
  for (const group of groups)
    await deps.inbox(group[0]!.cityId, group[0]!.hospitalId, recallCommunication(recall, group[0]!.hospitalId, group));
  await deps.recalls.markSent(di, lot);
  await deps.audit(residentsOf(implants), "notice");
  if (created) await deps.countRecall?.();
  return { statusCode: created ? (201 as const) : (200 as const), recall: { ...recall, sent: true } };
}
