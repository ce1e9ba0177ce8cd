/**
 * CloudWatch metrics in embedded metric format (Powertools). The local province disables the
 * output (POWERTOOLS_METRICS_DISABLED) and counts refusals in its gateway instead.
 */
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { nodeEnv } from "./env.ts";

const node = nodeEnv();
export const metrics = new Metrics({
  namespace: "HebeiHealthCloud",
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? node.nodeId,
  defaultDimensions: { node: node.nodeId },
});

/** Counts one authorizer refusal by reason, published at once (authorizers have no middy chain). */
export function countRefusal(reason: "missing" | "invalid" | "wrong-city" | "not-operator" | "operator-as-hospital"): void {
  metrics.addDimension("reason", reason);
  metrics.addMetric("CredentialRefused", MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
}

/** A practitioner's reads of patient data past the hourly threshold (docs/consent.md): alarmed at the hub */
export function countReadVolumeExceeded(): void {
  metrics.addMetric("PractitionerReadVolumeExceeded", MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
}

/** Break-the-glass uses past their review deadline, as a gauge (docs/consent.md): alarmed at the hub */
export function gaugeBreakGlassOverdue(count: number): void {
  metrics.addMetric("BreakGlassReviewOverdue", MetricUnit.Count, count);
  metrics.publishStoredMetrics();
}

/** Telemedicine Tasks left without an expert, as a gauge (docs/telemedicine.md): alarmed at the hub */
export function gaugeTelemedicineNoExpert(count: number): void {
  metrics.addMetric("TelemedicineNoExpert", MetricUnit.Count, count);
  metrics.publishStoredMetrics();
}

/** Seconds between the evidence sealer's successful runs (docs/departments.md#evidence-log): alarmed at the hub, missing data included */
export function gaugeEvidenceSealAge(seconds: number): void {
  metrics.addMetric("EvidenceSealAgeSeconds", MetricUnit.Seconds, seconds);
  metrics.publishStoredMetrics();
}
