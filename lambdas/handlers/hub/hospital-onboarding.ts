/**
 * Operator: onboard a hospital (POST /hospitals: its Organization, then its first credential),
 * rotate its credential (POST /hospitals/{hospitalId}/credentials) and revoke its credentials
 * (DELETE /hospitals/{hospitalId}/credentials). Plaintext credentials appear once, in the answer.
 */
import { dynamoCredentialStore } from "#adapters/credential-store.ts";
import { NotFoundError } from "#domain/errors.ts";
import { rotateRequestSchema } from "#schemas/onboarding.ts";
import { clock } from "#shared/clock.ts";
import { tableName } from "#shared/env.ts";
import { httpHandler, parseJsonBody } from "#shared/http.ts";
import { DEFAULT_GRACE_HOURS, revokeHospitalCredentials, rotateHospitalCredential } from "#use-cases/credentials.ts";
import { onboardHospital } from "./onboard.ts";

const credentials = dynamoCredentialStore(tableName("Credentials"));
const json = { "content-type": "application/json" };

export const handler = httpHandler(async (event) => {
  if (event.resource === "/hospitals") return onboardHospital(credentials, event);
  const hospitalId = event.pathParameters?.hospitalId ?? "";
  if (event.httpMethod === "DELETE") {
    const revoked = await revokeHospitalCredentials(credentials, hospitalId, clock.now());
    if (revoked.length === 0) throw new NotFoundError(`Hospital ${hospitalId} has no credential to revoke`);
    return { statusCode: 200, body: { hospitalId, revoked }, headers: json };
  }
  const { graceHours = DEFAULT_GRACE_HOURS } = event.body ? parseJsonBody(event, rotateRequestSchema) : {};
  const rotation = await rotateHospitalCredential(credentials, hospitalId, graceHours, clock.now());
  if (!rotation) throw new NotFoundError(`Hospital ${hospitalId} has no active credential to rotate (onboard it first)`);
  return { statusCode: 201, body: rotation, headers: json };
});
