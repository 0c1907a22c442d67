import type { PaymentProvider } from "./payment-provider";

/**
 * Which provider moves the money of a session: the sandbox for every test
 * session (no real money may move, spec §10), the live provider otherwise. With
 * no live provider configured, live payments are declined rather than faked.
 */
export interface ProviderRegistry {
  forSession(session: { test: boolean }): PaymentProvider | null;
}

export function createProviderRegistry(sandbox: PaymentProvider, live: PaymentProvider | null): ProviderRegistry {
  return { forSession: (session) => (session.test ? sandbox : live) };
}

/** Runs a provider call with a time limit; a late answer counts as no answer. */
export async function withTimeout<T>(call: Promise<T>, timeoutMs: number, onTimeout: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout()), timeoutMs);
  });
  try {
    return await Promise.race([call, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

