/**
 * Publishes a node's discovery values as SSM String parameters (names from
 * lambdas/shared/discovery-names.ts): how the other nodes find it at run time, with no
 * CloudFormation export between stacks.
 */
import { aws_ssm as ssm } from "aws-cdk-lib";
import { Construct } from "constructs";

/** "/hhc/cities/baoding/push-queue-url" → "CitiesBaodingPushQueueUrl" */
const constructId = (name: string): string =>
  name
    .split(/[/-]/)
    .filter(Boolean)
    .slice(1)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("");

export class DiscoveryParameters extends Construct {
  readonly parameters: ssm.StringParameter[] = [];

  /** `values`: parameter name → value (usually a token of this stack) */
  constructor(scope: Construct, id: string, values: Record<string, string>) {
    super(scope, id);
    for (const [parameterName, stringValue] of Object.entries(values)) {
      this.parameters.push(
        new ssm.StringParameter(this, constructId(parameterName), {
          parameterName,
          stringValue,
          description: "Hebei Health Cloud node discovery",
        }),
      );
    }
  }
}
