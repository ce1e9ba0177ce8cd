/**
 * What the traceability use cases need: the hub's TraceCodes table (adapters/trace-registry.ts): each
 * code's dispense in force, and the alerts of repeated dispenses (newest first).
 */
export interface Dispense {
  hospitalId: string;
  cityId: string;
  encounter: string;
  at: string;
}

export interface TraceAlert {
  code: string;
  first: Dispense;
  repeat: Dispense;
}

export interface TraceRegistry {
  /** Records the code's dispense unless one is in force; answers the one in force when there is */
  dispense(code: string, dispense: Dispense): Promise<{ recorded: true } | { recorded: false; inForce: Dispense }>;
  /** Releases the code's dispense made by `hospitalId`: "released", else what stands in the way */
  release(code: string, hospitalId: string): Promise<"released" | "not-dispensed" | "another-hospital">;
  addAlert(alert: TraceAlert): Promise<void>;
  alerts(limit: number): Promise<TraceAlert[]>;
}
