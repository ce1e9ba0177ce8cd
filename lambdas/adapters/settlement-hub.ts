/**
 * A city's calls to the hub for its claims: the Settlement FIFO queue (found by discovery), the hub's
 * MPI (PIXm), its registry (the hospital's level, cached per instance) and its ClaimResponse search.
 */
import { hospitalProfile } from "#domain/registry/organizations.ts";
import type { HospitalLevelCode, SettlementHub } from "#ports/settlement.ts";
import { FHIR_JSON } from "#schemas/fhir.ts";
import { ACTING_HOSPITAL_HEADER } from "#schemas/internal.ts";
import { claimSystem } from "#schemas/settlement.ts";
import type { discovery } from "#shared/discovery.ts";
import type { HubClient } from "#shared/hub-client.ts";
import { patientHub } from "./patient-hub.ts";
import { sendToSettlement } from "./settlement-sender.ts";

export function settlementHub(nodes: ReturnType<typeof discovery>, hub: HubClient): SettlementHub {
  const patients = patientHub(hub);
  const levels = new Map<string, HospitalLevelCode>();
  const headers = (hospitalId: string) => ({ [ACTING_HOSPITAL_HEADER]: hospitalId, accept: FHIR_JSON });
  return {
    send: async (message, body) => sendToSettlement(await nodes.hubSettlementQueueUrl(), message, body),
    async pix(id, hospitalId) {
      return (await patients.pix(`?sourceIdentifier=${encodeURIComponent(`${id.system}|${id.value}`)}`, hospitalId)).body;
    },
    async hospitalLevel(hospitalId) {
      const known = levels.get(hospitalId);
      if (known) return known;
      const answer = await hub.forward("GET", `/fhir/Organization/${encodeURIComponent(hospitalId)}`, headers(hospitalId));
      if (answer.status !== 200) throw new Error(`hub registry answered ${answer.status} for Organization/${hospitalId}`);
      const level = hospitalProfile(JSON.parse(answer.body)).level;
      const code = level === 2 ? "2" : level === 3 ? "3" : "1";
      levels.set(hospitalId, code);
      return code;
    },
    async claimResponses(hospitalId, claimNumber) {
      const query = `request.identifier=${encodeURIComponent(`${claimSystem(hospitalId)}|${claimNumber}`)}`;
      return hub.forward("GET", `/fhir/ClaimResponse?${query}`, headers(hospitalId));
    },
    claimResponse: (hospitalId, id) => hub.forward("GET", `/fhir/ClaimResponse/${encodeURIComponent(id)}`, headers(hospitalId)),
    async reusedTraceCodes(hospitalId, codes) {
      const body = JSON.stringify({ codes });
      const answer = await hub.forward("POST", "/drugs/trace-check", { ...headers(hospitalId), "content-type": "application/json" }, body);
      if (answer.status !== 200) throw new Error(`hub trace check answered ${answer.status}`);
      return new Set((JSON.parse(answer.body) as { reused: string[] }).reused);
    },
  };
}
