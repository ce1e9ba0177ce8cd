/**
 * A node's operations view in CloudWatch (issue 7, DESIGN.md decision 5): a dashboard of its API,
 * functions and queues, and alarms on what needs a person — a function's error rate or throttles,
 * the API's 5xx, a queue whose oldest message is getting old (consumers stuck) — next to the
 * per-DLQ alarms of OpsAlarms. Every alarm notifies the node's operations topic.
 */
import { aws_cloudwatch_actions as actions, aws_cloudwatch as cloudwatch, Duration } from "aws-cdk-lib";
import { Construct } from "constructs";
import type { NodeServices } from "./node-services.ts";
import type { NodeState } from "./node-state.ts";

/** Thresholds, explained where an operator would look for them (docs/operations in the README) */
export const OPS_THRESHOLDS = {
  /** A function failing more than this share of its invocations over 5 minutes */
  errorRatePercent: 5,
  /** Ignore the error rate below this many invocations in 5 minutes (one failure of two is noise) */
  minInvocations: 20,
  /** A queue's oldest message older than this: its consumer is stuck or failing */
  oldestMessageSeconds: 600,
} as const;

const FIVE_MINUTES = Duration.minutes(5);

export class OpsDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(
    scope: Construct,
    id: string,
    { nodeId, state, services, dashboardName }: { nodeId: string; state: NodeState; services: NodeServices; dashboardName: string },
  ) {
    super(scope, id);
    const notify = new actions.SnsAction(state.alarms.topic);
    const alarm = (alarmId: string, metric: cloudwatch.Metric | cloudwatch.MathExpression, threshold: number, description: string) => {
      const a = metric.createAlarm(this, alarmId, {
        alarmDescription: description,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(notify);
      this.alarms.push(a);
      return a;
    };

    const widgets: cloudwatch.IWidget[][] = [];
    for (const [apiId, api] of services.apis) {
      const m = (metricName: string, statistic: string) =>
        new cloudwatch.Metric({
          namespace: "AWS/ApiGateway",
          metricName,
          dimensionsMap: { ApiName: api.api.restApiName },
          statistic,
          period: FIVE_MINUTES,
        });
      alarm(`${apiId}Api5xx`, m("5XXError", "Sum"), 5, `${apiId} API of ${nodeId}: answers 5xx (a function failing or timing out)`);
      widgets.push([
        new cloudwatch.GraphWidget({
          title: `${apiId} API requests, 4xx, 5xx`,
          left: [m("Count", "Sum"), m("4XXError", "Sum"), m("5XXError", "Sum")],
          width: 12,
        }),
        new cloudwatch.GraphWidget({
          title: `${apiId} API latency p50 / p99`,
          left: [m("Latency", "p50"), m("Latency", "p99")],
          width: 12,
        }),
      ]);
    }

    const errors: cloudwatch.IMetric[] = [];
    const throttles: cloudwatch.IMetric[] = [];
    for (const [fnId, fn] of services.functions) {
      const rate = new cloudwatch.MathExpression({
        label: `${fnId} error %`,
        expression: `IF(invocations >= ${OPS_THRESHOLDS.minInvocations}, 100 * errors / invocations, 0)`,
        usingMetrics: {
          errors: fn.metricErrors({ period: FIVE_MINUTES, statistic: "Sum" }),
          invocations: fn.metricInvocations({ period: FIVE_MINUTES, statistic: "Sum" }),
        },
        period: FIVE_MINUTES,
      });
      alarm(
        `${fnId}ErrorRate`,
        rate,
        OPS_THRESHOLDS.errorRatePercent,
        `${fnId} of ${nodeId}: more than ${OPS_THRESHOLDS.errorRatePercent} % of invocations fail`,
      );
      const throttled = fn.metricThrottles({ period: FIVE_MINUTES, statistic: "Sum" });
      alarm(`${fnId}Throttles`, throttled, 1, `${fnId} of ${nodeId}: invocations throttled (concurrency limit reached)`);
      errors.push(fn.metricErrors({ period: FIVE_MINUTES, statistic: "Sum", label: fnId }));
      throttles.push(throttled);
    }
    widgets.push([
      new cloudwatch.GraphWidget({ title: "Function errors", left: errors, width: 12 }),
      new cloudwatch.GraphWidget({ title: "Function throttles", left: throttles, width: 12 }),
    ]);

    const depth: cloudwatch.IMetric[] = [];
    const age: cloudwatch.IMetric[] = [];
    const dead: cloudwatch.IMetric[] = [];
    for (const [queueId, queue] of state.queues) {
      const oldest = queue.queue.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES, statistic: "Maximum", label: queueId });
      alarm(
        `${queueId}OldestMessage`,
        oldest,
        OPS_THRESHOLDS.oldestMessageSeconds,
        `${queueId} of ${nodeId}: the oldest message waits more than ${OPS_THRESHOLDS.oldestMessageSeconds} s (consumer stuck or failing)`,
      );
      age.push(oldest);
      depth.push(queue.queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: "Maximum", label: queueId }));
      dead.push(
        queue.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: FIVE_MINUTES,
          statistic: "Maximum",
          label: `${queueId} DLQ`,
        }),
      );
    }
    if (depth.length > 0)
      widgets.push([
        new cloudwatch.GraphWidget({ title: "Queue depth", left: depth, width: 8 }),
        new cloudwatch.GraphWidget({ title: "Oldest message age (s)", left: age, width: 8 }),
        new cloudwatch.GraphWidget({ title: "Dead letters (re-drive: npm run redrive)", left: dead, width: 8 }),
      ]);

    // privacy (docs/consent.md): a practitioner's reads past the hourly threshold; break-the-glass uses unreviewed after 72 h
    const custom = (metricName: string, statistic: string) =>
      new cloudwatch.Metric({
        namespace: "HebeiHealthCloud",
        metricName,
        dimensionsMap: { node: nodeId },
        statistic,
        period: FIVE_MINUTES,
      });
    if (services.functions.has("AuditConsumer")) {
      const volume = custom("PractitionerReadVolumeExceeded", "Sum");
      alarm("ReadVolume", volume, 1, `${nodeId}: a practitioner's reads of patient data passed the hourly threshold (enumeration?)`);
      widgets.push([new cloudwatch.GraphWidget({ title: "Practitioners past the hourly read threshold", left: [volume], width: 12 })]);
    }
    if (services.functions.has("BreakGlassWatch")) {
      const overdue = new cloudwatch.Metric({
        namespace: "HebeiHealthCloud",
        metricName: "BreakGlassReviewOverdue",
        dimensionsMap: { node: nodeId },
        statistic: "Maximum",
        period: Duration.hours(1),
      });
      alarm("BreakGlassOverdue", overdue, 1, `${nodeId}: break-the-glass uses unreviewed past 72 hours (the privacy officer's queue)`);
      widgets.push([new cloudwatch.GraphWidget({ title: "Break-the-glass uses overdue for review", left: [overdue], width: 12 })]);
    }

    this.dashboard = new cloudwatch.Dashboard(this, "Dashboard", { dashboardName, widgets });
    this.dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: "Alarms", alarms: this.alarms, width: 24 }));
  }
}
