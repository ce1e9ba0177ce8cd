/**
 * Composition of consent (docs/consent.md): at the hub, the consent registry and privacy context
 * (the Consents table, the MPI and the treatment relationship's sources, the registry for
 * break-the-glass roles) and the privacy officer's review; at a city, the privacy context source
 * (the hub's internal API, cached `HHC_CONSENT_CACHE_SECONDS`, default 30, at most 60).
 */
import { clinicalNetwork } from "#adapters/clinical-network.ts";
import { dynamoBreakGlassStore, dynamoConsentStore } from "#adapters/consent-store.ts";
import { hubRelay } from "#adapters/subscription-hub.ts";
import { clock } from "#shared/clock.ts";
import { nodeEnv, tableName } from "#shared/env.ts";
import { hubClient } from "#shared/hub-client.ts";
import type { BreakGlassReviewDeps } from "#use-cases/consent/break-glass.ts";
import type { ConsentDeps } from "#use-cases/consent/registry.ts";
import { auditRepository, cityAuditor } from "#wiring/audit.ts";
import { mpiDeps } from "./mpi.ts";
import { cityPrivacySource } from "./privacy.ts";
import { relationshipDeps } from "./push.ts";
import { registryStore } from "./registry.ts";
import { telemedicineDocumentSource } from "./telemedicine.ts";

/** The hub's consent registry and privacy context */
export function consentDeps(): ConsentDeps {
  return {
    consents: dynamoConsentStore(tableName("Consents")),
    breakGlass: dynamoBreakGlassStore(tableName("Consents")),
    registry: registryStore(),
    relationship: relationshipDeps(mpiDeps()),
    // the supporting documents of the open telemedicine Tasks the hospital owns
    telemedicine: telemedicineDocumentSource(),
    now: () => clock.now(),
  };
}

/** The break-the-glass uses alone (the hourly overdue gauge) */
export const breakGlassStore = () => dynamoBreakGlassStore(tableName("Consents"));

/** The privacy officer's break-the-glass queue (operator API) */
export const breakGlassReviewDeps = (): BreakGlassReviewDeps => ({
  store: dynamoBreakGlassStore(tableName("Consents")),
  audit: auditRepository(),
  now: () => clock.now(),
});

/** The city's Consent API: the hub (practitioner checks, forwarding), the privacy context and the auditor */
export function cityConsentWiring() {
  const node = nodeEnv();
  const hub = hubClient(node.ssmPrefix);
  return {
    hub,
    network: clinicalNetwork(node.ssmPrefix, hub),
    relay: hubRelay(hub, node.nodeId),
    privacy: cityPrivacySource(hub, node.nodeId),
    auditor: cityAuditor(node),
  };
}
