// The local Stripe as its own process:
//   npm run sandbox:stripe -- --port 12111        (--port 0 picks a free port)
// Prints its URL and the seeded account's test keys; stops on SIGTERM/SIGINT.
// Point the SDK at it: new Stripe(key, { host: "127.0.0.1", port, protocol: "http" }).
import { parseArgs } from "node:util";
import { startStripeSandbox } from "./server";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "12111" },
    host: { type: "string", default: "127.0.0.1" },
    json: { type: "boolean", default: false },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port takes 0..65535, got "${values.port}"`);

const sandbox = await startStripeSandbox({ port, host: values.host });
const [account] = sandbox.accounts;
if (values.json) {
  console.log(JSON.stringify({ url: sandbox.url, accounts: sandbox.accounts }));
} else {
  console.log(`
  Local Stripe (sandbox)  ${sandbox.url}
  Account                 ${account?.account}
  Test secret key         ${account?.testSecretKey}
  Test publishable key    ${account?.testPublishableKey}
  Live secret key         ${account?.liveSecretKey}   (objects it makes have livemode: true)
  More accounts:          POST ${sandbox.url}/_sandbox/accounts
  Controls:               ${sandbox.url}/_sandbox/… (sandbox/stripe/README.md)
`);
}

const stop = () => void sandbox.close().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
