/** One call to a province endpoint as a hospital or operator makes it: JSON in, status, headers and JSON out. */
export async function call(
  url: string,
  init: { method?: string; token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
) {
  const res = await fetch(url, {
    method: init.method ?? (init.body !== undefined || init.rawBody !== undefined ? "POST" : "GET"),
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
      ...init.headers,
    },
    body: init.rawBody ?? (init.body !== undefined ? JSON.stringify(init.body) : undefined),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

/** The answer of `POST /fhir/Binary/$upload-url` (docs/documents.md) */
export interface UploadUrl {
  url: string;
  method: "POST";
  fields: Record<string, string>;
  size: number;
  expires: string;
  binary: { reference: string };
}

/**
 * Sends bytes to an upload URL as S3 takes a browser form upload: every field of the answer, in
 * order, then the file last. S3 answers 204 (it refuses other sizes than the declared one with 400;
 * the local emulator takes any, which is why publishing checks the size again).
 */
export async function uploadTo(upload: Pick<UploadUrl, "url" | "fields">, bytes: Buffer): Promise<{ status: number; text: string }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
  form.append("file", new Blob([bytes]), "document");
  const res = await fetch(upload.url, { method: "POST", body: form });
  return { status: res.status, text: await res.text() };
}
