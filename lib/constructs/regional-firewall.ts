/**
 * A regional WAF web ACL in front of an API stage (AWS WAF is offered in the China regions too):
 * AWS managed rules for known-bad inputs and IP reputation, a per-IP rate limit, and logging to a
 * KMS-encrypted log group with the Authorization header redacted.
 */
import { ArnFormat, type aws_kms as kms, aws_logs as logs, Stack, aws_wafv2 as wafv2 } from "aws-cdk-lib";
import { Construct } from "constructs";

export interface RegionalFirewallProps {
  /** Unique in the account and region, kebab-case: "hhc-city-baoding-hospital" */
  name: string;
  /** ARN of the API Gateway stage to protect */
  stageArn: string;
  /** Requests per IP per 5 minutes before WAF blocks that IP */
  ratePerFiveMinutes: number;
  logsKey: kms.IKey;
}

const managedRule = (name: string, priority: number): wafv2.CfnWebACL.RuleProperty => ({
  name,
  priority,
  statement: { managedRuleGroupStatement: { vendorName: "AWS", name } },
  overrideAction: { none: {} },
  visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true },
});

export class RegionalFirewall extends Construct {
  readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: RegionalFirewallProps) {
    super(scope, id);
    this.webAcl = new wafv2.CfnWebACL(this, "WebAcl", {
      name: props.name,
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: props.name, sampledRequestsEnabled: true },
      rules: [
        managedRule("AWSManagedRulesAmazonIpReputationList", 0),
        managedRule("AWSManagedRulesKnownBadInputsRuleSet", 1),
        {
          name: "RatePerIp",
          priority: 2,
          statement: { rateBasedStatement: { limit: props.ratePerFiveMinutes, aggregateKeyType: "IP" } },
          action: { block: {} },
          visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: `${props.name}-rate`, sampledRequestsEnabled: true },
        },
      ],
    });
    // WAF logs only to log groups whose name starts with aws-waf-logs-
    const logGroupName = `aws-waf-logs-${props.name}`;
    const logGroup = new logs.LogGroup(this, "Logs", {
      logGroupName,
      retention: logs.RetentionDays.THREE_MONTHS,
      encryptionKey: props.logsKey,
    });
    const logGroupArn = Stack.of(this).formatArn({
      service: "logs",
      resource: "log-group",
      resourceName: logGroupName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const logging = new wafv2.CfnLoggingConfiguration(this, "Logging", {
      resourceArn: this.webAcl.attrArn,
      logDestinationConfigs: [logGroupArn],
      redactedFields: [{ singleHeader: { Name: "authorization" } }],
    });
    logging.node.addDependency(logGroup);
    new wafv2.CfnWebACLAssociation(this, "Association", { resourceArn: props.stageArn, webAclArn: this.webAcl.attrArn });
  }
}
