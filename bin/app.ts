/**
 * CDK app: `HebeiHealth-Hub`, then `HebeiHealth-City-<Name>` for every configured city, and `HebeiHealth-Insurance`
 *   (the reference insurance platform; -c hubAccount=… / -c insuranceAccount=… when it lives in another account).
 *   -c region=cn-north-1 (default) | ap-southeast-1 | …   -c account=123456789012 (else CDK_DEFAULT_ACCOUNT, else env-agnostic)
 * cdk-nag (AWS Solutions and HIPAA Security) runs on every synth; an unacknowledged error fails it.
 */
import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks, HIPAASecurityChecks } from "cdk-nag";
import { buildProvince } from "#lib/stacks/province.ts";

const app = new App();
const region = (app.node.tryGetContext("region") as string | undefined) ?? "cn-north-1";
const account = (app.node.tryGetContext("account") as string | undefined) ?? process.env.CDK_DEFAULT_ACCOUNT;
buildProvince(app, { env: { region, account } });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new HIPAASecurityChecks(app));
