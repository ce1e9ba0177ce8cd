/** Where the FEP delivers each kind of item on its city node (DESIGN.md contracts; docs/fep.md). */
export interface Delivery {
  method: "POST";
  /** Path under the node's base URL */
  path: string;
}

const ROUTES: Record<string, Delivery> = {
  Patient: { method: "POST", path: "/fhir/Patient" }, // PIXm feed, idempotent on the hospital's MRN
  Bundle: { method: "POST", path: "/fhir" }, // MHD publish (ITI-65), idempotent on masterIdentifier
  Encounter: { method: "POST", path: "/fhir/Encounter" }, // idempotent on the encounter number
  Claim: { method: "POST", path: "/fhir/Claim" }, // idempotent on the claim number
  Subscription: { method: "POST", path: "/fhir/Subscription" },
};

export const DELIVERABLE_TYPES = Object.keys(ROUTES);

/** FHIR messaging (a case report, docs/public-health.md): a Bundle of type `message` goes to `$process-message` */
const MESSAGE: Delivery = { method: "POST", path: "/fhir/$process-message" };

export const deliveryFor = (resourceType: string, bundleType?: unknown): Delivery | undefined =>
  resourceType === "Bundle" && bundleType === "message" ? MESSAGE : ROUTES[resourceType];
