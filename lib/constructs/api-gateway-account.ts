/**
 * API Gateway's regional account setting (the role it logs to CloudWatch with), which access and
 * execution logging need. Every stack that has an API sets it, so any node deploys alone; the
 * settings are identical, and both are retained so that removing one stack never breaks the others.
 */
import { aws_apigateway as apigw, aws_iam as iam, RemovalPolicy } from "aws-cdk-lib";
import { Construct } from "constructs";
import { acknowledge } from "./nag.ts";

export class ApiGatewayAccount extends Construct {
  readonly account: apigw.CfnAccount;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const role = new iam.Role(this, "CloudWatchRole", {
      assumedBy: new iam.ServicePrincipal("apigateway.amazonaws.com"),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName("service-role/AmazonAPIGatewayPushToCloudWatchLogs")],
    });
    role.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.account = new apigw.CfnAccount(this, "Account", { cloudWatchRoleArn: role.roleArn });
    this.account.applyRemovalPolicy(RemovalPolicy.RETAIN);
    acknowledge(role, {
      "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]":
        "The AWS-maintained policy documented for API Gateway's CloudWatch role; it follows the log actions API Gateway needs",
    });
  }
}
