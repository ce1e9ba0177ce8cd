/**
 * Hospitals' API keys in the local province (port: lambdas/ports/api-keys.ts): kept in the SSM
 * emulator under `<prefix>/local/api-keys/<hospitalId>` ({ value, cityId, enabled }), where the
 * local gateway can read them; the gateway throttles each caller by the key its authorizer names.
 */
import { hospitalApiKeyValue } from "#domain/api-keys.ts";
import { parameterStore } from "#shared/aws-api.ts";
import { lookupParameter } from "#shared/discovery.ts";
import type { ApiKeys } from "../ports/api-keys.ts";

export const localApiKeyParameter = (ssmPrefix: string, hospitalId: string): string => `${ssmPrefix}/local/api-keys/${hospitalId}`;

export const localApiKeys = (ssmPrefix: string): ApiKeys => {
  const put = (hospitalId: string, cityId: string, enabled: boolean) =>
    parameterStore.putParameter({
      Name: localApiKeyParameter(ssmPrefix, hospitalId),
      Value: JSON.stringify({ value: hospitalApiKeyValue(hospitalId), cityId, enabled }),
      Type: "String",
      Overwrite: true,
    });
  return {
    issue: ({ hospitalId, cityId }) => put(hospitalId, cityId, true).then(() => undefined),
    async revoke(hospitalId) {
      const stored = await lookupParameter(localApiKeyParameter(ssmPrefix, hospitalId)).catch(() => undefined);
      if (stored) await put(hospitalId, (JSON.parse(stored) as { cityId: string }).cityId, false);
    },
  };
};
