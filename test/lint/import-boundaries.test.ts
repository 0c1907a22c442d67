import { ESLint } from "eslint";

// The lint keeps the rooms' direction (docs/decisions/0012-rooms-and-arrows.md): these
// snippets are linted with the project's own eslint.config.js as if they stood at `filePath`.
const eslint = new ESLint();

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
    const errors = await boundaryErrors("app/db/upward.ts", 'import { receiveOnce } from "../payments/idempotency.server";\nexport const x = receiveOnce;\n');
    expect(errors).toHaveLength(1);
  });

  it("fails payments importing delivery (delivery reads payments, never the reverse)", async () => {
    const errors = await boundaryErrors("app/payments/sideways.ts", 'import { sendDeliveries } from "../delivery/send-delivery.server";\nexport const x = sendDeliveries;\n');
    expect(errors).toHaveLength(1);
  });

  it("allows type-only imports in any direction and downward run-time imports", async () => {
    expect(await boundaryErrors("app/payments/typed.ts", 'import type { SessionDeps } from "../inbound/sessions/serve-session-request.server";\nexport type X = SessionDeps;\n')).toEqual([]);
    expect(await boundaryErrors("app/inbound/sessions/down.ts", 'import { receiveOnce } from "../../payments/idempotency.server";\nexport const x = receiveOnce;\n')).toEqual([]);
  });
});
