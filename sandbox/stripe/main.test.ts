import { spawn, type ChildProcess } from "node:child_process";
import Stripe from "stripe";
import { STRIPE_API_VERSION } from "./api-version";
import { eventually } from "./test-client";

let child: ChildProcess | undefined;
afterEach(() => {
  // The npm process group we started (npm → sh → tsx → node).
  if (child?.pid) process.kill(-child.pid, "SIGTERM");
  child = undefined;
});

describe("npm run sandbox:stripe", () => {
  it("listens on the port the OS picks with --port 0, and prints its URL and a working test key", async () => {
    child = spawn("npm", ["run", "--silent", "sandbox:stripe", "--", "--port", "0"], { detached: true, stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const printed = await eventually(() => /Test secret key\s+(sk_test_\S+)/.test(output) && output, "the sandbox's banner", 60_000);
    const url = new URL(/(http:\/\/127\.0\.0\.1:\d+)/.exec(printed)?.[1] ?? "");
    const key = /Test secret key\s+(sk_test_\S+)/.exec(printed)?.[1] ?? "";
    expect(Number(url.port)).toBeGreaterThan(0);

    const stripe = new Stripe(key, { host: url.hostname, port: url.port, protocol: "http", apiVersion: STRIPE_API_VERSION });
    const account = await stripe.accounts.retrieveCurrent();
    expect(printed).toContain(account.id);

    // More accounts, each with its own keys, for the dev script and tests.
    const created = (await (await fetch(`${url.origin}/_sandbox/accounts`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" })).json()) as { account: string; testSecretKey: string };
    const other = new Stripe(created.testSecretKey, { host: url.hostname, port: url.port, protocol: "http", apiVersion: STRIPE_API_VERSION });
    expect((await other.accounts.retrieveCurrent()).id).toBe(created.account);
    expect(created.account).not.toBe(account.id);
  });
});
