/**
 * Wiring of the city's claim handlers: the Claims table, the hub's Settlement FIFO queue, and the
 * hub's MPI, registry and ClaimResponse search through the internal API.
 */

import { UnprocessableError } from "#domain/errors.ts";
import { checkResidentId, isUsableResidentId } from "#domain/mpi/resident-id.ts";
import { hospitalProfile } from "#domain/registry/organizations.ts";
import { FHIR_JSON } from "#schemas/fhir.ts";
import { ACTING_HOSPITAL_HEADER } from "#schemas/internal.ts";
import { EMPI_SYSTEM, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { type ClaimMessageV1, claimSystem } from "#schemas/settlement.ts";
import { discovery } from "#shared/discovery.ts";
import { type NodeEnv, tableName } from "#shared/env.ts";
import type { HubClient } from "#shared/hub-client.ts";
import type { ReadClaim, SubmitDeps } from "#use-cases/settlement/submit-claim.ts";
import { dynamoClaimStore } from "./claim-store.ts";
import { patientHub } from "./patient-hub.ts";
import { sendToSettlement } from "./settlement-sender.ts";

const unprocessable = (diagnostics: string, expression: string) => new UnprocessableError(diagnostics, expression);

export function citySettlement(node: NodeEnv, hub: HubClient) {
  const nodes = discovery(node.ssmPrefix);
  const patients = patientHub(hub);
  const levels = new Map<string, "1" | "2" | "3">();
  const claims = dynamoClaimStore(tableName("Claims"));
  const send = async (message: ClaimMessageV1, body: string) => sendToSettlement(await nodes.hubSettlementQueueUrl(), message, body);

  /** The hospital's level from the hub registry (level 1: a primary institution without a level 2/3 grade) */
  async function hospitalLevel(hospitalId: string): Promise<"1" | "2" | "3"> {
    const known = levels.get(hospitalId);
    if (known) return known;
    const answer = await hub.forward("GET", `/fhir/Organization/${encodeURIComponent(hospitalId)}`, {
      [ACTING_HOSPITAL_HEADER]: hospitalId,
      accept: FHIR_JSON,
    });
    if (answer.status !== 200) throw new Error(`hub registry answered ${answer.status} for Organization/${hospitalId}`);
    const level = hospitalProfile(JSON.parse(answer.body)).level;
    const code = level === 2 ? "2" : level === 3 ? "3" : "1";
    levels.set(hospitalId, code);
    return code;
  }

  const resolve =
    (hospitalId: string, cityId: string): SubmitDeps["resolve"] =>
    async (read: ReadClaim) => {
      const id = read.claim.patient.identifier;
      // the hospital's level (cached per instance) is read while the MPI answers
      const level = hospitalLevel(hospitalId);
      level.catch(() => {}); // awaited below; an early failure must not go unhandled meanwhile
      const pix = await patients.pix(`?sourceIdentifier=${encodeURIComponent(`${id.system}|${id.value}`)}`, hospitalId);
      const targets = ((pix.body.parameter ?? []) as { name: string; valueIdentifier?: { system: string; value: string } }[])
        .filter((p) => p.name === "targetIdentifier" && p.valueIdentifier)
        .map((p) => p.valueIdentifier!);
      if (id.system === RESIDENT_ID_SYSTEM || id.system === EMPI_SYSTEM) targets.push(id);
      const empi = targets.find((t) => t.system === EMPI_SYSTEM)?.value;
      if (!empi)
        throw unprocessable(
          "Claim.patient: the resident awaits review at the master patient index; claim once linked",
          "Claim.patient.identifier",
        );
      const residentId = targets
        .filter((t) => t.system === RESIDENT_ID_SYSTEM)
        .map((t) => checkResidentId(t.value))
        .find((c) => isUsableResidentId(c) && c.normalized?.length === 18)?.normalized;
      if (!residentId)
        throw unprocessable(
          "Claim.patient: the resident has no valid resident ID number, which insurance needs",
          "Claim.patient.identifier",
        );
      const city = await nodes.city(cityId);
      if (!city) throw new Error(`city ${cityId} has published no profile (discovery)`);
      return { cityId: city.id, hospitalCityCode: city.adminCode, hospitalLevel: await level, empi, residentId };
    };

  /** The hub's ClaimResponses of one claim (a searchset Bundle), for the hospital */
  async function claimResponses(hospitalId: string, claimNumber: string): Promise<{ status: number; body: string }> {
    const query = `request.identifier=${encodeURIComponent(`${claimSystem(hospitalId)}|${claimNumber}`)}`;
    return hub.forward("GET", `/fhir/ClaimResponse?${query}`, { [ACTING_HOSPITAL_HEADER]: hospitalId, accept: FHIR_JSON });
  }

  async function settled(message: ClaimMessageV1): Promise<boolean> {
    const answer = await claimResponses(message.hospitalId, message.claimNumber);
    if (answer.status !== 200) throw new Error(`hub ClaimResponse search answered ${answer.status}`);
    const bundle = JSON.parse(answer.body) as { entry?: { resource: { status?: string } }[] };
    const wanted = message.action === "cancel" ? "cancelled" : "active";
    return (bundle.entry ?? []).some((e) => e.resource.status === wanted);
  }

  return { claims, send, resolve, claimResponses, settled };
}
