/**
 * Hospitals' API keys in API Gateway (port: lambdas/ports/api-keys.ts). The city's usage plan id is
 * the one its stack publishes in SSM (`/hhc/cities/<cityId>/usage-plan-id`), so cities added later
 * are covered without redeploying the hub. Called through aws-api.ts (signed REST JSON), not the API
 * Gateway client.
 */
import { hospitalApiKeyName, hospitalApiKeyValue } from "#domain/api-keys.ts";
import { AwsApiError, apiGatewayKeysApi as apigw } from "#shared/aws-api.ts";
import { lookupParameter } from "#shared/discovery.ts";
import { discoveryNames } from "#shared/discovery-names.ts";
import type { ApiKeys } from "../ports/api-keys.ts";

async function keyIdOf(hospitalId: string): Promise<{ id: string; enabled: boolean } | undefined> {
  const name = hospitalApiKeyName(hospitalId);
  const out = await apigw.getApiKeys({ nameQuery: name, includeValues: false, limit: 500 });
  const key = out.items?.find((k) => k.name === name);
  return key?.id ? { id: key.id, enabled: Boolean(key.enabled) } : undefined;
}

export const apiGatewayKeys = (ssmPrefix: string): ApiKeys => ({
  async issue({ hospitalId, cityId }) {
    let key = await keyIdOf(hospitalId);
    if (!key) {
      const created = await apigw.createApiKey({
        name: hospitalApiKeyName(hospitalId),
        value: hospitalApiKeyValue(hospitalId),
        enabled: true,
        description: `Hospital ${hospitalId} (${cityId}): throttled by its city's usage plan`,
      });
      key = { id: created.id!, enabled: true };
    } else if (!key.enabled) {
      await apigw.updateApiKey({ apiKey: key.id, patchOperations: [{ op: "replace", path: "/enabled", value: "true" }] });
    }
    const usagePlanId = await lookupParameter(discoveryNames(ssmPrefix).cityUsagePlanId(cityId));
    try {
      await apigw.createUsagePlanKey({ usagePlanId, keyId: key.id, keyType: "API_KEY" });
    } catch (error) {
      // already in the plan: a rotation, or onboarding again after a revocation
      if (!(error instanceof AwsApiError && error.name === "ConflictException")) throw error;
    }
  },
  async revoke(hospitalId) {
    const key = await keyIdOf(hospitalId);
    if (key?.enabled) await apigw.updateApiKey({ apiKey: key.id, patchOperations: [{ op: "replace", path: "/enabled", value: "false" }] });
  },
});
