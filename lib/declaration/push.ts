/**
 * Push down: subscriptions at the hub, the Notify queue of new clinical resources, and each city's
 * FEP inbox, spread into hub.ts and city.ts.
 */
import type { DeclarationPart } from "./types.ts";

export const PUSH: DeclarationPart = {
  hubQueues: [
    {
      id: "Notify",
      fifo: false,
      visibilityTimeoutSeconds: 180,
      maxReceiveCount: 5,
      retentionDays: 14,
      description: "New documents and encounters recorded at the hub, to be matched against subscriptions",
    },
  ],
};
