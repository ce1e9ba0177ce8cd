/**
 * Per-hospital API keys (ADR 3): API Gateway throttles each hospital by its city's usage plan, with
 * the key the hospital authorizer names (`usageIdentifierKey`). One key per hospital, following its
 * credentials: onboarding and rotation make sure it exists, is enabled and is in the city's plan;
 * revoking the hospital's credentials disables it. Implemented for AWS by
 * lambdas/adapters/api-gateway-keys.ts, for the local province by lambdas/adapters/local-api-keys.ts.
 */
export interface ApiKeys {
  /** The hospital's key exists, is enabled and belongs to its city's usage plan (idempotent) */
  issue(hospital: { hospitalId: string; cityId: string }): Promise<void>;
  /** The hospital's key, if any, is disabled: API Gateway refuses it even while an authorizer answer is cached */
  revoke(hospitalId: string): Promise<void>;
}
