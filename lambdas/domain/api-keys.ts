/**
 * The name and value of a hospital's API key. With the API key source AUTHORIZER, API Gateway never
 * reads a key from a request: the value only identifies the hospital to its usage plan, so it can be
 * derived from the hospital id (the authorizer names it without a lookup). API Gateway wants 20+ characters.
 */
export const hospitalApiKeyName = (hospitalId: string): string => `hhc-hospital-${hospitalId}`;
export const hospitalApiKeyValue = (hospitalId: string): string => `hhc-hospital-usage-key-${hospitalId}`;
