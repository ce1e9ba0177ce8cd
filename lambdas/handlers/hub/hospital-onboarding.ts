/**
 * Operator: onboard a hospital (POST /hospitals: its Organization, then its first credential),
 * rotate its credential (POST /hospitals/{hospitalId}/credentials) and revoke its credentials
 * (DELETE /hospitals/{hospitalId}/credentials). Plaintext credentials appear once, in the answer.
 */
import { dynamoCredentialStore } from "#adapters/credential-store.ts";
import { hospitalApiKeys } from "#adapters/hospital-api-keys.ts";
import { NotFoundError } from "#domain/errors.ts";
import { rotateRequestSchema } from "#schemas/onboarding.ts";
import { tableName } from "#shared/env.ts";
import { httpHandler, parseJsonBody } from "#shared/http.ts";
import { DEFAULT_GRACE_HOURS, revokeHospitalCredentials, rotateHospitalCredential } from "#use-cases/credentials.ts";
import { onboardHospital } from "./onboard.ts";

const credentials = dynamoCredentialStore(tableName("Credentials"));
const apiKeys = hospitalApiKeys();
const json = { "content-type": "application/json" };

export const handler = httpHandler(async (event) => {
  if (event.resource === "/hospitals") return onboardHospital(credentials, event, apiKeys);
  const hospitalId = event.pathParameters?.hospitalId ?? "";
  if (event.httpMethod === "DELETE") {
    const revoked = await revokeHospitalCredentials(credentials, hospitalId, new Date());
    if (revoked.length === 0) throw new NotFoundError(`Hospital ${hospitalId} has no credential to revoke`);
    await apiKeys.revoke(hospitalId);
    return { statusCode: 200, body: { hospitalId, revoked }, headers: json };
  }
  const { graceHours = DEFAULT_GRACE_HOURS } = event.body ? parseJsonBody(event, rotateRequestSchema) : {};
  const rotation = await rotateHospitalCredential(credentials, hospitalId, graceHours, new Date());
  if (!rotation) throw new NotFoundError(`Hospital ${hospitalId} has no active credential to rotate (onboard it first)`);
  // the key follows the credential: a hospital onboarded before keys existed gets one at its next rotation
  const cityId = (await credentials.listByHospital(hospitalId)).find((c) => c.cityId)?.cityId;
  if (cityId) await apiKeys.issue({ hospitalId, cityId });
  return { statusCode: 201, body: rotation, headers: json };
});
