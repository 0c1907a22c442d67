import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { builtServerPath, ROOT } from "./paths";

export const TEST_APP_URL = "https://payments-app.test";
export const TEST_API_SECRET = "test-secret-0123456789abcdef";
export const TEST_API_KEY = "test-api-key";

export interface AppProcess {
  /** http://127.0.0.1:{PORT} */
  url: string;
  /** https://127.0.0.1:{MTLS_PORT}, when SHOPIFY_REQUEST_AUTH=mtls */
  mtlsUrl: string | null;
  /** Every JSON log line the process wrote to stdout, parsed. */
  logs: Record<string, unknown>[];
  stderr: string[];
  /** The process id (a worker's lease owner names it). */
  pid: number;
  stop(): Promise<void>;
  /** kill -9: no shutdown handler runs, as in a crash. */
  crash(): Promise<void>;
}

/**
 * Starts the built app (the run's `npm run build`, test/global-setup.ts) as its own process, on free
 * ports, and resolves once it logs that it is listening.
 */
export async function startApp(env: Record<string, string>, nodeArgs: string[] = []): Promise<AppProcess> {
  const child = spawn(process.execPath, [...nodeArgs, builtServerPath()], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "test",
      PORT: "0",
      MTLS_PORT: "0",
      HOST: "127.0.0.1",
      SHOPIFY_APP_URL: TEST_APP_URL,
      SHOPIFY_API_KEY: TEST_API_KEY,
      SHOPIFY_API_SECRET: TEST_API_SECRET,
      SHOPIFY_REQUEST_AUTH: "none",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: Record<string, unknown>[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stderr }).on("line", (line) => stderr.push(line));

  const listening = new Promise<Record<string, unknown>>((resolve, reject) => {
    createInterface({ input: child.stdout }).on("line", (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        entry = { raw: line };
      }
      logs.push(entry);
      if (entry.msg === "listening") resolve(entry);
    });
    child.once("exit", (code) => reject(new Error(`app exited with ${code} before listening:\n${stderr.join("\n")}`)));
  });
  const ready = await listening;
  return {
    url: `http://127.0.0.1:${String(ready.port)}`,
    mtlsUrl: ready.mtlsPort ? `https://127.0.0.1:${Number(ready.mtlsPort)}` : null,
    logs,
    stderr,
    pid: child.pid!,
    stop: () => stopProcess(child),
    crash: () => stopProcess(child, "SIGKILL"),
  };
}

/** Runs the built app (or another build) expecting it to refuse to start; resolves with its exit code and stderr. */
export function startAppExpectingFailure(env: Record<string, string>, server = builtServerPath()): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [server], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "test", PORT: "0", MTLS_PORT: "0", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => {
    // A safety net for an app that starts after all; a busy machine may take long to load the build.
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

function stopProcess(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}

/** A loopback port free right now, for a process that must know its own URL before it starts. */
export async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}
