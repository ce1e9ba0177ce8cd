/**
 * A city's forwarding of a hospital's Subscription requests to the hub's internal API (SigV4), naming
 * the hospital and this city; the hub's refusals come back as the same typed errors.
 */
import { UpstreamError } from "#domain/errors.ts";
import type { SubscriptionHub } from "#ports/push.ts";
import { FHIR_JSON, type IssueType } from "#schemas/fhir.ts";
import { ACTING_CITY_HEADER, ACTING_HOSPITAL_HEADER } from "#schemas/internal.ts";
import { relayedError } from "#shared/http.ts";
import type { HubClient } from "#shared/hub-client.ts";

export function subscriptionHub(hub: HubClient, cityId: string): SubscriptionHub {
  return {
    async forward(method, path, hospitalId, body, extra = {}) {
      const headers = {
        ...extra,
        accept: FHIR_JSON,
        "content-type": FHIR_JSON,
        [ACTING_HOSPITAL_HEADER]: hospitalId,
        [ACTING_CITY_HEADER]: cityId,
      };
      const answer = await hub.forward(method, path, headers, body);
      let json: Record<string, unknown> | undefined;
      try {
        json = answer.body ? JSON.parse(answer.body) : undefined;
      } catch {
        throw new UpstreamError(`The hub answered ${answer.status} without JSON; retry shortly`);
      }
      if (answer.status >= 400 && answer.status < 500 && json?.resourceType === "OperationOutcome") {
        const issues = (json.issue as { code: IssueType; diagnostics?: string; expression?: string[] }[] | undefined) ?? [];
        throw relayedError(
          answer.status,
          issues.map((i) => ({
            code: i.code,
            diagnostics: i.diagnostics ?? "",
            ...(i.expression?.[0] ? { expression: i.expression[0] } : {}),
          })),
        );
      }
      return { status: answer.status, json };
    },
  };
}

/** The same relay serves every hospital request a city forwards to the hub's internal API (Consents too) */
export const hubRelay = subscriptionHub;
