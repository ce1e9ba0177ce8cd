/** Wiring shared by the city's document and encounter handlers (read once, at init). */

import type { CityId } from "#schemas/city.ts";
import { EMPI_SYSTEM, isKnownSystem } from "#schemas/patient.ts";
import { clock } from "#shared/clock.ts";
import { bucketName, nodeEnv, tableName } from "#shared/env.ts";
import { hubClient } from "#shared/hub-client.ts";
import { cityAuditor } from "#wiring/audit.ts";
import { outboxDeps } from "./city-outboxes.ts";
import { clinicalNetwork } from "./clinical-network.ts";
import { documentIndex } from "./document-index.ts";

/** `bytes`: the function reads or writes the Documents bucket (as its declaration grants) */
export function documentWiring(needs: { bytes: boolean }) {
  const node = nodeEnv();
  const hub = hubClient(node.ssmPrefix);
  const network = clinicalNetwork(node.ssmPrefix, hub);
  const index = documentIndex(tableName("DocumentIndex"), needs.bytes ? bucketName("Documents") : "");
  return {
    node,
    cityId: node.nodeId as CityId,
    hub,
    network,
    index,
    auditor: cityAuditor(node),
    readDeps: { index, network },
    /** for functions that record (their declaration grants the Outbox) */
    writeDeps: () => ({
      index,
      network,
      outbox: outboxDeps(node),
      now: clock.now,
      resolveEmpi: network.resolveEmpi,
      isActivePractitioner: async (hospitalId: string, practitionerId: string) =>
        (await hub.checkPractitioner(hospitalId, practitionerId)).active,
    }),
  };
}

type Id = { system: string; value: string };
const isId = (i: unknown): i is Id =>
  typeof (i as Id)?.system === "string" &&
  typeof (i as Id)?.value === "string" &&
  isKnownSystem((i as Id).system) &&
  (i as Id).value.length <= 100;

/** The resident a request body names (for the audit trail of a refused request), read leniently */
export function namedSubject(body: string | null, resourceType: string): Id[] {
  let json: unknown;
  try {
    json = body ? JSON.parse(body) : undefined;
  } catch {
    return [];
  }
  const resources = [json, ...((json as { entry?: { resource?: unknown }[] })?.entry ?? []).map((e) => e?.resource)];
  const subject = resources.find((r) => (r as { resourceType?: string })?.resourceType === resourceType) as
    | { subject?: { identifier?: unknown } }
    | undefined;
  return isId(subject?.subject?.identifier) ? [{ system: subject.subject.identifier.system, value: subject.subject.identifier.value }] : [];
}

export const empiIdentifier = (empi: string): Id => ({ system: EMPI_SYSTEM, value: empi });
