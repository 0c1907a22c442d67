import https from "node:https";

export interface ClientIdentity {
  cert: string;
  key: string;
}

/** POSTs over HTTPS, optionally presenting a client certificate; resolves with status and JSON. */
export function postOverTls(url: string, body: unknown, headers: Record<string, string>, serverCa: string, identity?: ClientIdentity) {
  const payload = JSON.stringify(body);
  return new Promise<{ status: number; json: { error?: { code: string; problems: { field: string; message: string }[] }; redirect_url?: string } }>(
    (resolve, reject) => {
      const request = https.request(
        url,
        {
          method: "POST",
          headers: { ...headers, "Content-Length": Buffer.byteLength(payload).toString() },
          ca: serverCa,
          cert: identity?.cert,
          key: identity?.key,
          agent: false,
        },
        (response) => {
          let text = "";
          response.on("data", (chunk: Buffer) => (text += chunk.toString()));
          response.on("end", () => resolve({ status: response.statusCode ?? 0, json: JSON.parse(text) }));
        },
      );
      request.on("error", reject);
      request.end(payload);
    },
  );
}
