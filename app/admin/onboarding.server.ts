import { z } from "zod";
import { recordAudit } from "../audit/audit-trail.server";
import type { Db } from "../db.server";
import { offlineSessionId } from "../shopify/offline-session";
import { createPaymentsAppsClient } from "../shopify/payments-apps/client.server";
import type { MutationOutcome, PaymentsAppConfigurePayload } from "../shopify/payments-apps/client.server";
import type { StaffContext } from "./staff.server";

/**
 * Onboarding: the merchant names their account at the provider (Shopify's
 * `externalHandle`) and says whether the app is ready to take payments; the app
 * tells Shopify with paymentsAppConfigure (spec §7.8, §12) and keeps what Shopify
 * accepted. Shopify's refusals are shown in plain words and change nothing here.
 */
export const onboardingSchema = z.object({
  externalHandle: z.string({ error: "is required" }).trim().min(1, "is required").max(255, "must be at most 255 characters"),
  ready: z.preprocess((value) => value === "on" || value === "true", z.boolean()),
});
export type OnboardingInput = z.infer<typeof onboardingSchema>;

export interface OnboardingState {
  externalHandle: string | null;
  ready: boolean;
  configuredAt: string | null;
}

export async function readOnboarding(db: Db, shop: string): Promise<OnboardingState> {
  const row = await db.shop.findUnique({ where: { domain: shop }, select: { externalHandle: true, ready: true, configuredAt: true } });
  return { externalHandle: row?.externalHandle ?? null, ready: row?.ready ?? false, configuredAt: row?.configuredAt?.toISOString() ?? null };
}

/**
 * What "ready" means. Shopify offers the payment method for live payments once
 * the app says it is ready, so in production ready needs a connected, verified
 * live provider account (Settings › Stripe; connecting one says ready by itself,
 * disconnecting it says not ready). In development and tests the built-in
 * sandbox provider stands in for live payments (services.server.ts), so there
 * the merchant's checkbox decides alone, as it always did.
 */
export function readinessProblem(input: OnboardingInput, context: { liveAccountRequired: boolean; hasLiveAccount: boolean }): { field: string; message: string } | null {
  if (!input.ready || !context.liveAccountRequired || context.hasLiveAccount) return null;
  return { field: "ready", message: "needs a connected live Stripe account: connect one under Stripe below first" };
}

export type ConfigureResult = { ok: true; message: string } | { ok: false; message: string; problems: { field: string; message: string }[] };

export interface ConfigureOptions {
  apiVersion: string;
  origin?: string;
  timeoutMs: number;
}

export async function configurePaymentsApp(db: Db, staff: StaffContext, input: OnboardingInput, options: ConfigureOptions, now = new Date()): Promise<ConfigureResult> {
  const session = await db.session.findUnique({ where: { id: offlineSessionId(staff.shop) }, select: { accessToken: true } });
  if (!session) return { ok: false, message: "The app is not installed on this shop any more. Open it from the Shopify admin to install it again.", problems: [] };
  const client = createPaymentsAppsClient({ shop: staff.shop, accessToken: session.accessToken, apiVersion: options.apiVersion, origin: options.origin, timeoutMs: options.timeoutMs });
  const outcome = await client.paymentsAppConfigure({ externalHandle: input.externalHandle, ready: input.ready });
  const refusal = describeRefusal(outcome);
  if (refusal) return refusal;

  const before = await readOnboarding(db, staff.shop);
  await db.$transaction(async (tx) => {
    await tx.shop.upsert({
      where: { domain: staff.shop },
      create: { domain: staff.shop, externalHandle: input.externalHandle, ready: input.ready, configuredAt: now },
      update: { externalHandle: input.externalHandle, ready: input.ready, configuredAt: now },
    });
    await recordAudit(tx, {
      shop: staff.shop,
      staffUserId: staff.staffUserId,
      staffName: staff.staffName,
      staffEmail: staff.staffEmail,
      action: "SETTINGS_UPDATE",
      beforeState: describeState(before.externalHandle, before.ready),
      afterState: describeState(input.externalHandle, input.ready),
      reason: "Onboarding settings saved",
    }, now);
  });
  return {
    ok: true,
    message: input.ready
      ? `Shopify now knows the app is ready for account “${input.externalHandle}”. The merchant can activate it under Settings › Payments.`
      : `Saved. Shopify shows the app as not ready for account “${input.externalHandle}” until you mark it ready.`,
  };
}

function describeState(externalHandle: string | null, ready: boolean): string {
  return `${externalHandle ?? "(no account)"}, ${ready ? "ready" : "not ready"}`;
}

/** What to tell the merchant when Shopify did not accept the configuration; null when it did. */
export function describeRefusal(outcome: MutationOutcome<PaymentsAppConfigurePayload>): Extract<ConfigureResult, { ok: false }> | null {
  switch (outcome.kind) {
    case "success":
      return null;
    case "user-errors":
      return {
        ok: false,
        message: `Shopify did not accept these settings: ${outcome.userErrors.map((error) => error.message).join(" ")}`,
        problems: outcome.userErrors.map((error) => ({ field: error.field?.at(-1) ?? "externalHandle", message: error.message })),
      };
    case "retryable":
      return { ok: false, message: "Shopify could not be reached just now, so nothing was changed. Try again in a moment.", problems: [] };
    case "auth-failure":
      return { ok: false, message: "Shopify refused the app's access to this shop. Open the app from the Shopify admin again to reinstall it, then save.", problems: [] };
    case "failed":
      return { ok: false, message: `Shopify answered with an error (${outcome.reason}); nothing was changed.`, problems: [] };
  }
}
