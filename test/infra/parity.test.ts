/**
 * DESIGN.md decision 1: the synthesized stacks and the local province are built from one
 * declaration. For every node of localTopology(), the node's template holds exactly the same
 * functions, routes, tables, queues (with their DLQs) and buckets — no more, no fewer.
 */
import type { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, test } from "vitest";
import { localTopology } from "#local/topology.ts";
import { resourcesOfType, routes, tag, tagValues } from "./support/queries.ts";
import { type SynthesizedProvince, synthProvince } from "./support/synth.ts";

let province: SynthesizedProvince;
beforeAll(() => {
  province = synthProvince("cn-north-1");
});

const templateOf = (nodeId: string): Template => {
  const stack =
    nodeId === "hub"
      ? province.stacks.hub
      : nodeId === "insurance"
        ? province.stacks.insurance
        : province.stacks.cities.find((s) => s.city.id === nodeId);
  if (!stack) throw new Error(`no stack for node ${nodeId}`);
  return province.template(stack);
};

const sorted = (xs: Iterable<string>): string[] => [...xs].sort();

const topology = localTopology();

test("the local province and the app have the same nodes", () => {
  expect(sorted(topology.map((n) => n.nodeId))).toEqual(sorted(["hub", "insurance", ...province.stacks.cities.map((s) => s.city.id)]));
});

describe.each(topology.map((n) => [n.nodeId, n] as const))("node %s", (nodeId, node) => {
  test("functions", () => {
    const t = templateOf(nodeId);
    const all = Object.values(resourcesOfType(t, "AWS::Lambda::Function"));
    expect(all.map((f) => tag(f, "hhc:function")).sort()).toEqual(sorted(node.functions));
  });

  test("routes (API, method, path)", () => {
    expect(routes(templateOf(nodeId))).toEqual(sorted(node.routes));
  });

  test("tables", () => {
    const t = templateOf(nodeId);
    expect(Object.keys(resourcesOfType(t, "AWS::DynamoDB::Table"))).toHaveLength(node.tables.length);
    expect(tagValues(t, "AWS::DynamoDB::Table", "hhc:table")).toEqual(sorted(node.tables.map((x) => x.id)));
  });

  test("queues and dead-letter queues, by physical name and FIFO-ness", () => {
    const queues = Object.entries(resourcesOfType(templateOf(nodeId), "AWS::SQS::Queue"));
    const actual = queues.map(([, q]) => `${q.Properties.QueueName as string} fifo=${Boolean(q.Properties.FifoQueue)}`);
    expect(actual.sort()).toEqual(sorted(node.queues.map((q) => `${q.name} fifo=${q.fifo}`)));
    for (const q of node.queues.filter((x) => x.dlqOf)) {
      const source = node.queues.find((x) => x.id === q.dlqOf)!;
      const [dlqLogicalId] = queues.find(([, r]) => r.Properties.QueueName === q.name)!;
      const [, sourceQueue] = queues.find(([, r]) => r.Properties.QueueName === source.name)!;
      expect(sourceQueue.Properties.RedrivePolicy, `${source.name} → ${q.name}`).toMatchObject({
        deadLetterTargetArn: { "Fn::GetAtt": [dlqLogicalId, "Arn"] },
      });
    }
  });

  test("buckets (besides the access-log bucket that only exists where documents are stored)", () => {
    const t = templateOf(nodeId);
    const buckets = Object.values(resourcesOfType(t, "AWS::S3::Bucket"));
    expect(tagValues(t, "AWS::S3::Bucket", "hhc:bucket")).toEqual(sorted(node.buckets.map((b) => b.id)));
    const others = buckets.filter((b) => tag(b, "hhc:bucket") === undefined).map((b) => tag(b, "hhc:role"));
    expect(others).toEqual(node.buckets.length > 0 ? ["access-logs"] : []);
  });
});
