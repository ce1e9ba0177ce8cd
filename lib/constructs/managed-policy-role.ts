/**
 * An IAM role whose every grant lands in one customer-managed policy instead of an inline
 * DefaultPolicy (HIPAA.Security-IAMNoInlinePolicy). Grants made by CDK itself (SqsEventSource,
 * logGroup.grantWrite, …) go through addToPrincipalPolicy and so land there too.
 */
import { aws_iam as iam } from "aws-cdk-lib";

export class ManagedPolicyRole extends iam.Role {
  private policy?: iam.ManagedPolicy;

  override addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    this.policy ??= new iam.ManagedPolicy(this, "Policy", { roles: [this], description: `Grants of ${this.node.path}` });
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }
}
