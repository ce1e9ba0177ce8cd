/**
 * A city's patient requests to the hub's internal API (SigV4): the feed, PIXm and PDQm, forwarded
 * with the calling hospital named. The hub's refusals come back as the same typed errors, so the
 * city answers them as the hub did and its auditor records them.
 */

import { type Issue, UpstreamError } from "#domain/errors.ts";
import type { HubAnswer } from "#ports/hub.ts";
import type { PatientHub, PatientHubAnswer } from "#ports/mpi.ts";
import { FHIR_JSON, type OperationOutcome } from "#schemas/fhir.ts";
import { ACTING_HOSPITAL_HEADER } from "#schemas/internal.ts";
import { relayedError } from "#shared/http.ts";
import type { HubClient } from "#shared/hub-client.ts";

function relay(answer: HubAnswer): PatientHubAnswer {
  let body: Record<string, unknown> | undefined;
  try {
    body = answer.body ? (JSON.parse(answer.body) as Record<string, unknown>) : undefined;
  } catch {
    body = undefined;
  }
  if (answer.status < 400 && body) return { status: answer.status, contentType: answer.contentType, body };
  if (answer.status >= 400 && answer.status < 500 && body?.resourceType === "OperationOutcome") {
    const issues: Issue[] = (body as unknown as OperationOutcome).issue.map((i) => ({
      code: i.code,
      diagnostics: i.diagnostics,
      ...(i.expression?.[0] ? { expression: i.expression[0] } : {}),
    }));
    throw relayedError(answer.status, issues);
  }
  throw new UpstreamError(`The hub's master patient index answered ${answer.status}; nothing was applied here`, "exception");
}

export function patientHub(hub: HubClient): PatientHub {
  const headers = (hospitalId: string) => ({ [ACTING_HOSPITAL_HEADER]: hospitalId, accept: FHIR_JSON });
  return {
    async feed(method: "POST" | "PUT", query: string, hospitalId: string, patient: unknown): Promise<PatientHubAnswer> {
      return relay(
        await hub.forward(method, `/fhir/Patient${query}`, { ...headers(hospitalId), "content-type": FHIR_JSON }, JSON.stringify(patient)),
      );
    },
    async pix(query: string, hospitalId: string): Promise<PatientHubAnswer> {
      return relay(await hub.forward("GET", `/fhir/Patient/$ihe-pix${query}`, headers(hospitalId)));
    },
    async pdq(query: string, hospitalId: string): Promise<PatientHubAnswer> {
      return relay(await hub.forward("GET", `/fhir/Patient${query}`, headers(hospitalId)));
    },
  };
}
