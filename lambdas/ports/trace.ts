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
  /** Records a repeated dispense: the operator's alert, and the code's mark of the repeating hospital */
  addAlert(alert: TraceAlert): Promise<void>;
  /** The code's dispense in force, and the hospitals whose dispense of it was a repeat */
  history(code: string): Promise<{ inForce?: Dispense; repeatedBy: string[] }>;
  alerts(limit: number): Promise<TraceAlert[]>;
}
