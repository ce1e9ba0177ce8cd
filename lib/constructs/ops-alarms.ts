/**
 * The node's operations alarms (DESIGN.md decision 5: every DLQ is watched): a KMS-encrypted,
 * TLS-only SNS topic the operators subscribe to, and an alarm per dead-letter queue that fires
 * as soon as one message lands there (re-drive with the project's re-drive command).
 */
import {
  Aws,
  aws_cloudwatch_actions as actions,
  aws_cloudwatch as cloudwatch,
  Duration,
  aws_iam as iam,
  aws_kms as kms,
  aws_sns as sns,
} from "aws-cdk-lib";
import { Construct } from "constructs";
import type { SecureQueue } from "./secure-queue.ts";

export class OpsAlarms extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, { nodeId }: { nodeId: string }) {
    super(scope, id);
    const key = new kms.Key(this, "Key", { description: `Operations alarms of node ${nodeId}`, enableKeyRotation: true });
    // CloudWatch publishes alarm notifications to the encrypted topic
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal("cloudwatch.amazonaws.com")],
        actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
        resources: ["*"],
      }),
    );
    this.topic = new sns.Topic(this, "Topic", { displayName: `Hebei Health Cloud ${nodeId} operations`, masterKey: key, enforceSSL: true });
    // the topic policy (TLS only) replaces SNS's default one: admit this account's alarms explicitly
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal("cloudwatch.amazonaws.com")],
        actions: ["sns:Publish"],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID } },
      }),
    );
  }

  /** Alarms when the queue's DLQ holds at least one message. */
  watchDeadLetters(queue: SecureQueue): cloudwatch.Alarm {
    const alarm = queue.deadLetterQueue
      .metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM })
      .createAlarm(this, `${queue.declaration.id}DeadLetters`, {
        alarmDescription: `Messages in the DLQ of ${queue.declaration.id}: inspect, fix, then re-drive`,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    return alarm;
  }
}
