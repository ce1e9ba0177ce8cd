/** Composition of the city's document and encounter handlers (read once, at init). */

import { clinicalNetwork } from "#adapters/clinical-network.ts";
import { documentIndex } from "#adapters/document-index.ts";
import { recordLocator } from "#adapters/record-locator.ts";
import { holdsClinicalRole } from "#domain/registry/authority.ts";
import type { CityId } from "#schemas/city.ts";
import { clock } from "#shared/clock.ts";
import { bucketName, nodeEnv, tableName } from "#shared/env.ts";
import { hubClient } from "#shared/hub-client.ts";
import type { EncounterDeps } from "#use-cases/documents/encounters.ts";
import type { PublishDeps } from "#use-cases/documents/publish.ts";
import type { ReadDeps } from "#use-cases/documents/records.ts";
import { resolveEmpi } from "#use-cases/documents/resident.ts";
import { cityAuditor } from "#wiring/audit.ts";
import { cityPrivacySource } from "#wiring/privacy.ts";
import { outboxDeps } from "./outbox.ts";
import { pageKeyOfNode } from "./page-tokens.ts";

/** `bytes`: the function reads or writes the Documents bucket (as its declaration grants) */
export function documentWiring(needs: { bytes: boolean }) {
  const node = nodeEnv();
  const hub = hubClient(node.ssmPrefix);
  const network = clinicalNetwork(node.ssmPrefix, hub);
  const index = documentIndex(tableName("DocumentIndex"), needs.bytes ? bucketName("Documents") : "");
  return { node, cityId: node.nodeId as CityId, hub, network, index, auditor: cityAuditor(node) };
}

type DocumentWiring = ReturnType<typeof documentWiring>;

/**
 * What the reads need: page tokens and the consent decision's privacy context. Its own function, as
 * is `documentWriteDeps`, so that a bundle carries only the side it uses (esbuild drops the other).
 */
export const documentReadDeps = ({ index, network, hub, node }: DocumentWiring): ReadDeps => ({
  index,
  network,
  pageKey: pageKeyOfNode(),
  privacy: cityPrivacySource(hub, node.nodeId),
});

/** What the functions that record need (their declaration grants the Outbox) */
export const documentWriteDeps = ({ index, network, hub, node }: DocumentWiring): PublishDeps & EncounterDeps => ({
  index,
  outbox: outboxDeps(node),
  now: () => clock.now(),
  resolveEmpi: (id, hospitalId) => resolveEmpi(network, id, hospitalId),
  isPractitionerOf: async (hospitalId: string, practitionerId: string) => (await hub.checkPractitioner(hospitalId, practitionerId)).active,
  isClinicalAuthor: async (hospitalId: string, practitionerId: string) => {
    const check = await hub.checkPractitioner(hospitalId, practitionerId);
    return check.active && holdsClinicalRole(check.roles);
  },
});

/** The storing city's internal Binary and Encounter endpoints: the index and bucket only */
export const documentLocationWiring = () => ({ index: documentIndex(tableName("DocumentIndex"), bucketName("Documents")) });

/** The hub's record locator, read by the cities */
export const recordLocatorWiring = () => ({ locator: recordLocator(tableName("RecordLocator")) });
