import { z } from "zod";
import { recordAudit } from "../audit/audit-trail.server";
import type { Db } from "../db.server";
import { ProviderAccountError } from "../providers/accounts/account-link";
import type { ProviderAccountStore, ProviderAccountSummary } from "../providers/accounts/provider-account-store.server";
import type { ProviderMode } from "../providers/provider-accounts";
import { configurePaymentsApp, readOnboarding, type ConfigureOptions } from "./onboarding.server";
import type { StaffContext } from "./staff.server";

/**
 * Settings › Stripe: the merchant connects or disconnects a Stripe account per
 * mode. The store checks the key and registers the webhook endpoint; this module
 * records the staff action and tells Shopify whether the app is ready: ready
 * once a live account is connected, not ready once it is disconnected.
 */
export const STRIPE = "stripe";

export const providerConnectionSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("connect-provider"),
    mode: z.enum(["test", "live"], { error: "must be test or live" }),
    apiKey: z.string({ error: "is required" }).trim().min(1, "is required").max(255, "must be at most 255 characters"),
  }),
  z.object({ intent: z.literal("disconnect-provider"), mode: z.enum(["test", "live"], { error: "must be test or live" }) }),
]);
export type ProviderConnectionInput = z.infer<typeof providerConnectionSchema>;

export type ProviderConnectionResult =
  | { ok: true; intent: ProviderConnectionInput["intent"]; mode: ProviderMode; message: string }
  | { ok: false; intent: ProviderConnectionInput["intent"]; mode: ProviderMode; status: number; message: string; problems: { field: string; message: string }[] };

/** How Settings names an account: never the key, only its last four characters. */
export function describeAccount(account: ProviderAccountSummary | null | undefined): string {
  return account ? `${account.externalAccountId} (${account.mode}, ${account.keyKind} key •••• ${account.keyLast4})` : "not connected";
}

const STATUS_OF: Record<ProviderAccountError["kind"], number> = { "invalid-key": 422, permission: 422, "unknown-provider": 422, conflict: 409, unreachable: 503 };

function refused(input: ProviderConnectionInput, error: ProviderAccountError): ProviderConnectionResult {
  return {
    ok: false,
    intent: input.intent,
    mode: input.mode,
    status: STATUS_OF[error.kind],
    message: input.intent === "connect-provider" ? "Nothing was saved." : "The account is still connected.",
    problems: [{ field: input.intent === "connect-provider" ? "apiKey" : "mode", message: error.message }],
  };
}

/** Tells Shopify the app's readiness; a sentence to append to the merchant's message. */
async function tellShopify(db: Db, staff: StaffContext, ready: boolean, account: ProviderAccountSummary, configure: ConfigureOptions): Promise<string> {
  const onboarding = await readOnboarding(db, staff.shop);
  const externalHandle = onboarding.externalHandle ?? account.externalAccountId;
  const told = await configurePaymentsApp(db, staff, { externalHandle, ready }, configure);
  if (told.ok) return ready ? " Shopify now knows the app is ready for live payments." : " Shopify now shows the app as not ready.";
  return ` But Shopify was not told the app is ${ready ? "ready" : "not ready"}: ${told.message} Save the onboarding settings to try again.`;
}

export async function connectProviderAccount(
  db: Db,
  store: ProviderAccountStore,
  staff: StaffContext,
  input: Extract<ProviderConnectionInput, { intent: "connect-provider" }>,
  configure: ConfigureOptions | null,
  now = new Date(),
): Promise<ProviderConnectionResult> {
  let connected;
  try {
    connected = await store.connect(staff.shop, { provider: STRIPE, mode: input.mode, apiKey: input.apiKey });
  } catch (error) {
    if (error instanceof ProviderAccountError) return refused(input, error);
    throw error;
  }
  const { account, replaced } = connected;
  await recordAudit(
    db,
    { shop: staff.shop, staffUserId: staff.staffUserId, staffName: staff.staffName, staffEmail: staff.staffEmail, action: "PROVIDER_ACCOUNT_CONNECT", subject: account.accountId, beforeState: describeAccount(replaced), afterState: describeAccount(account), reason: `Stripe ${input.mode} account connected` },
    now,
  );
  const said = `Stripe ${input.mode} account ${account.externalAccountId} is connected with the ${account.keyKind} key •••• ${account.keyLast4}.`;
  // Only a live account makes the app ready: test payments need no account (the sandbox provider takes them).
  const shopify = input.mode === "live" && configure ? await tellShopify(db, staff, true, account, configure) : "";
  return { ok: true, intent: input.intent, mode: input.mode, message: said + shopify };
}

export async function disconnectProviderAccount(
  db: Db,
  store: ProviderAccountStore,
  staff: StaffContext,
  input: Extract<ProviderConnectionInput, { intent: "disconnect-provider" }>,
  configure: ConfigureOptions | null,
  now = new Date(),
): Promise<ProviderConnectionResult> {
  let removed;
  try {
    removed = await store.disconnect(staff.shop, STRIPE, input.mode);
  } catch (error) {
    if (error instanceof ProviderAccountError) return refused(input, error);
    throw error;
  }
  if (!removed) return { ok: true, intent: input.intent, mode: input.mode, message: `No Stripe ${input.mode} account was connected.` };
  await recordAudit(
    db,
    { shop: staff.shop, staffUserId: staff.staffUserId, staffName: staff.staffName, staffEmail: staff.staffEmail, action: "PROVIDER_ACCOUNT_DISCONNECT", subject: removed.account.accountId, beforeState: describeAccount(removed.account), afterState: "not connected", reason: `Stripe ${input.mode} account disconnected` },
    now,
  );
  const endpoint =
    removed.endpoint === "key-refused"
      ? ` Stripe no longer accepts its key, so the app's webhook endpoint could not be removed: delete it in the Stripe Dashboard, Developers › Webhooks.`
      : "";
  const shopify = input.mode === "live" && configure ? await tellShopify(db, staff, false, removed.account, configure) : "";
  return { ok: true, intent: input.intent, mode: input.mode, message: `Stripe ${input.mode} account ${removed.account.externalAccountId} is disconnected.${endpoint}${shopify}` };
}
