import { ESLint } from "eslint";
import tseslint from "typescript-eslint";

// The lint keeps the rooms' direction (docs/decisions/0012-rooms-and-arrows.md): these
// snippets are linted with the project's own eslint.config.js as if they stood at `filePath`.
// The snippets are files of no TypeScript project, so the type-aware rules (which need one)
// are switched off for them; the import boundaries do not use types.
const eslint = new ESLint({ overrideConfig: tseslint.configs.disableTypeChecked });

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === "@typescript-eslint/no-restricted-imports").map((m) => m.message);
}

describe("import boundaries", () => {
  it("fails a run-time import of the inbound edge from the payments domain", async () => {
    const errors = await boundaryErrors(
      "app/payments/upward.ts",
      'import { serveSessionRequest } from "../inbound/sessions/serve-session-request.server";\nexport const x = serveSessionRequest;\n',
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/upward import/i);
  });

  it("fails a run-time import of the domain from plumbing", async () => {
    const errors = await boundaryErrors("app/db/upward.ts", 'import { receiveOnce } from "../payments/receipt/idempotency.server";\nexport const x = receiveOnce;\n');
    expect(errors).toHaveLength(1);
  });

  it("fails payments importing delivery (delivery reads payments, never the reverse)", async () => {
    const errors = await boundaryErrors("app/payments/sideways.ts", 'import { sendDeliveries } from "../delivery/send-delivery.server";\nexport const x = sendDeliveries;\n');
    expect(errors).toHaveLength(1);
  });

  it("fails a rule of payments importing the flows above it, and keeps the outer rooms' rule there too", async () => {
    const errors = await boundaryErrors("app/payments/rules/upward.ts", 'import { applyPaymentOutcome } from "../outcomes/payment-outcomes.server";\nexport const x = applyPaymentOutcome;\n');
    expect(errors).toHaveLength(1);
    const edge = await boundaryErrors("app/payments/rules/edge.ts", 'import { serveSessionRequest } from "../../inbound/sessions/serve-session-request.server";\nexport const x = serveSessionRequest;\n');
    expect(edge).toHaveLength(1);
  });

  it("fails the receipt importing charging (siblings), and allows both to ask the rules", async () => {
    expect(await boundaryErrors("app/payments/receipt/sideways.ts", 'import { chargePayment } from "../charging/payment-charging.server";\nexport const x = chargePayment;\n')).toHaveLength(1);
    expect(await boundaryErrors("app/payments/charging/down.ts", 'import { parseAmount } from "../rules/money";\nexport const x = parseAmount;\n')).toEqual([]);
  });

  it("allows type-only imports in any direction and downward run-time imports", async () => {
    expect(await boundaryErrors("app/payments/typed.ts", 'import type { SessionDeps } from "../inbound/sessions/serve-session-request.server";\nexport type X = SessionDeps;\n')).toEqual([]);
    expect(await boundaryErrors("app/inbound/sessions/down.ts", 'import { receiveOnce } from "../../payments/receipt/idempotency.server";\nexport const x = receiveOnce;\n')).toEqual([]);
  });
});
