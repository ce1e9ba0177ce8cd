/** The key of this node's page tokens (docs/fhir-clients.md#paging), derived from its secret once per instance. */
import { pageTokenKey } from "#domain/paging.ts";
import { nodeSecret } from "#shared/message-signing.ts";

export function pageKeyOfNode(): () => Promise<Buffer> {
  let key: Promise<Buffer> | undefined;
  return () => {
    key ??= nodeSecret().then(pageTokenKey);
    // a failed read is tried again by the next request
    key.catch(() => {
      key = undefined;
    });
    return key;
  };
}
