/**
 * What a city asks other nodes about a resident's record (DESIGN.md decision 3), all SigV4:
 * the hub's MPI (PIXm for any identifier), the hub's record locator, and the city that
 * stores a document (a short-lived presigned URL of its bytes). Its own base URL comes from the
 * same discovery parameters, so answers point at the asking node's Binary endpoint.
 */

import { DomainError } from "#domain/errors.ts";
import type { ClinicalNetwork } from "#ports/documents.ts";
import {
  type BinaryLocation,
  binaryLocationSchema,
  encounterSubjectSchema,
  type LocatorEntry,
  locatorEntrySchema,
} from "#schemas/documents.ts";
import { discovery } from "#shared/discovery.ts";
import type { HubClient } from "#shared/hub-client.ts";
import { signedRequest } from "#shared/signed-fetch.ts";
import { patientHub } from "./patient-hub.ts";

type Id = { system: string; value: string };

export function clinicalNetwork(ssmPrefix: string, hub: HubClient): ClinicalNetwork {
  const nodes = discovery(ssmPrefix);
  const patients = patientHub(hub);
  return {
    /** The hub's PIXm Parameters; undefined when the index does not know the identifier (its 404, or 400) */
    async pix(id: Id, hospitalId: string): Promise<Record<string, unknown> | undefined> {
      const query = `?sourceIdentifier=${encodeURIComponent(`${id.system}|${id.value}`)}`;
      try {
        return (await patients.pix(query, hospitalId)).body;
      } catch (error) {
        if (error instanceof DomainError && (error.kind === "not-found" || error.kind === "invalid")) return undefined;
        throw error;
      }
    },
    async hubEntries(empi: string): Promise<LocatorEntry[]> {
      const answer = await hub.forward("GET", `/record-locator/${encodeURIComponent(empi)}`, { accept: "application/json" });
      if (answer.status !== 200) throw new Error(`the hub's record locator answered ${answer.status}`);
      return (JSON.parse(answer.body) as { entries: unknown[] }).entries.map((e) => locatorEntrySchema.parse(e));
    },
    /** Where the storing city keeps a document's bytes; undefined when it has no such document. */
    async binaryAt(cityId: string, id: string): Promise<BinaryLocation | undefined> {
      const answer = await signedRequest("GET", `${await nodes.cityApiUrl(cityId)}/internal/fhir/Binary/${encodeURIComponent(id)}`, {
        accept: "application/json",
      });
      if (answer.status === 404) return undefined;
      if (answer.status !== 200) throw new Error(`city ${cityId} answered ${answer.status} for Binary/${id}`);
      return binaryLocationSchema.parse(JSON.parse(answer.body));
    },
    /** The resident of an encounter the storing city keeps; undefined when it has no such encounter. */
    async encounterSubjectAt(cityId: string, id: string): Promise<string | undefined> {
      const answer = await signedRequest("GET", `${await nodes.cityApiUrl(cityId)}/internal/fhir/Encounter/${encodeURIComponent(id)}`, {
        accept: "application/json",
      });
      if (answer.status === 404) return undefined;
      if (answer.status !== 200) throw new Error(`city ${cityId} answered ${answer.status} for Encounter/${id}`);
      return encounterSubjectSchema.parse(JSON.parse(answer.body)).empi;
    },
    /** Whether another city of this id exists (discovery) */
    isCity: (cityId: string) => nodes.isCity(cityId),
    /** This node's base URL as hospitals call it */
    ownBase: (cityId: string) => nodes.cityApiUrl(cityId),
  };
}
