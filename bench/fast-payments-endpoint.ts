// A deliberately minimal stand-in for the Payments Apps API, for benchmarks: it
// answers every mutation with success for the session id it was sent, without
// validating anything, so a benchmark measures the app and not the stand-in.
// (sandbox/payments-apps is the faithful one; it validates every document.)
// Prints {"url": ...} once listening.
import { createServer } from "node:http";

const FIELD = /\{\s*(\w+Session\w+|paymentsAppConfigure)\s*\(/;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const { query, variables } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { query: string; variables: { id: string } };
    const field = FIELD.exec(query)?.[1] ?? "unknown";
    const kind = field.startsWith("payment") ? "paymentSession" : field.replace(/Session.*/, "Session");
    const resolved = field.endsWith("Resolve");
    const state = kind === "paymentSession"
      ? { __typename: resolved ? "PaymentSessionStateResolved" : "PaymentSessionStateRejected", code: resolved ? "RESOLVED" : "REJECTED", ...(resolved ? {} : { reason: "PROCESSING_ERROR", merchantMessage: null }) }
      : { __typename: `${kind[0]?.toUpperCase()}${kind.slice(1)}State${resolved ? "Resolved" : "Rejected"}`, code: resolved ? "RESOLVED" : "REJECTED", ...(resolved ? {} : { reason: "PROCESSING_ERROR", merchantMessage: null }) };
    const session = { id: variables.id, state, ...(kind === "paymentSession" ? { nextAction: { action: "REDIRECT", context: { redirectUrl: `http://checkout.test/${variables.id.split("/").pop()}/thank_you` } }, authorizationExpiresAt: null, pendingExpiresAt: null } : {}) };
    const body = JSON.stringify({ data: { [field]: { [kind]: session, userErrors: [] } } });
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
    res.end(body);
  });
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address && typeof address === "object") console.log(JSON.stringify({ url: `http://127.0.0.1:${address.port}` }));
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
