/** Each node's operations view: a dashboard, and alarms on errors, throttles, 5xx, stuck queues and dead letters. */
import type { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, test } from "vitest";
import { CITY_DECLARATION, HUB_STACK_IDS, type HubStackId, hubStackDeclaration } from "#lib/declaration/index.ts";
import { resourcesOfType } from "./support/queries.ts";
import { SHARED_SYNTH_TIMEOUT_MS, sharedProvince } from "./support/synth.ts";

const hub = new Map<HubStackId, Template>();
let city: Template;
beforeAll(async () => {
  const province = await sharedProvince("cn-north-1");
  for (const s of province.stacks.hubStacks) hub.set(s.hubStack, province.template(s));
  city = province.template(province.stacks.cities.find((s) => s.cityId === "baoding")!);
}, SHARED_SYNTH_TIMEOUT_MS);

const alarms = (t: Template) => Object.values(resourcesOfType(t, "AWS::CloudWatch::Alarm")).map((r) => r.Properties);
const described = (t: Template, text: string) => alarms(t).filter((a) => String(a.AlarmDescription).includes(text));

describe.each([
  ...HUB_STACK_IDS.map((s) => ["hub", s === "core" ? "hhc-hub" : `hhc-hub-${s}`, () => hub.get(s)!, hubStackDeclaration(s)] as const),
  ["baoding", "hhc-baoding", () => city, CITY_DECLARATION] as const,
])("%s operations, dashboard %s", (nodeId, dashboardName, template, declaration) => {
  // the hub's APIs are the core's (the other hub stacks add routes to them)
  const ownApis = nodeId !== "hub" || dashboardName === "hhc-hub" ? declaration.apis : [];
  test("an error-rate and a throttle alarm per function", () => {
    for (const f of declaration.functions) {
      expect(described(template(), `${f.id} of ${nodeId}: more than`), f.id).toHaveLength(1);
      expect(described(template(), `${f.id} of ${nodeId}: invocations throttled`), f.id).toHaveLength(1);
    }
  });

  test("an oldest-message alarm and a dead-letter alarm per queue", () => {
    for (const q of declaration.queues) {
      expect(described(template(), `${q.id} of ${nodeId}: the oldest message`), q.id).toHaveLength(1);
      expect(described(template(), `Messages in the DLQ of ${q.id}:`), q.id).toHaveLength(1);
    }
  });

  test("a 5xx alarm per API, and every alarm notifies the node's operations topic", () => {
    for (const a of ownApis) expect(described(template(), `${a.id} API of ${nodeId}: answers 5xx`)).toHaveLength(1);
    const topics = Object.keys(resourcesOfType(template(), "AWS::SNS::Topic"));
    expect(topics).toHaveLength(1);
    for (const a of alarms(template())) expect(a.AlarmActions).toEqual([{ Ref: topics[0] }]);
  });

  test("a CloudWatch dashboard named after the node (and the hub stack)", () => {
    const dashboards = Object.values(resourcesOfType(template(), "AWS::CloudWatch::Dashboard"));
    expect(dashboards.map((d) => d.Properties.DashboardName)).toEqual([dashboardName]);
  });
});
