/** The SQS emulator alone (fauxqs, as the local province runs it), for tests of queue plumbing. */
import { SQSClient } from "@aws-sdk/client-sqs";
import { interceptLocalhostDns, startFauxqs } from "fauxqs";

export async function startSqsEmulator(): Promise<{ sqs: SQSClient; stop: () => Promise<void> }> {
  const restoreDns = interceptLocalhostDns();
  const server = await startFauxqs({ port: 0, logger: false, defaultRegion: "cn-north-1" });
  const sqs = new SQSClient({
    endpoint: `http://sqs.cn-north-1.localhost:${server.port}`,
    region: "cn-north-1",
    credentials: { accessKeyId: "x", secretAccessKey: "y" },
  });
  return {
    sqs,
    stop: async () => {
      sqs.destroy();
      await server.stop();
      restoreDns();
    },
  };
}
