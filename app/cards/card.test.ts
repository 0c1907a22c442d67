import { inspect, format } from "node:util";
import { Writable } from "node:stream";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { Card } from "./card.server";

const PAN = "4000002760003184";
const CVC = "737";
const NAME = "Zelda Quintanilla";

const card = () => new Card({ pan: PAN, verificationValue: CVC, fullName: NAME, expiryMonth: 7, expiryYear: 2031 });

function expectNoSecrets(text: string) {
  expect(text).not.toContain(PAN);
  expect(text).not.toContain(PAN.slice(0, 6));
  // A 3-digit code turns up inside timestamps; a CVC standing alone is what would leak.
  expect(text).not.toMatch(new RegExp(`(^|\\D)${CVC}(\\D|$)`));
  expect(text).not.toContain("Zelda");
  expect(text).not.toContain("Quintanilla");
}

describe("a decrypted card never turns into text by accident", () => {
  it("gives its secrets only to a deliberate call", () => {
    const c = card();
    expect([c.pan, c.verificationValue, c.fullName]).toEqual([PAN, CVC, NAME]);
  });

  it("serializes to its summary in JSON, inspection, template strings and format strings", () => {
    const c = card();
    const renderings = [
      JSON.stringify(c),
      JSON.stringify({ payment: { card: c } }),
      inspect(c),
      inspect({ nested: { card: c } }, { depth: 10, showHidden: true }),
      `${c}`,
      String(c),
      "card: " + c,
      format("%s %o %O %j", c, c, c, c),
      JSON.stringify({ ...c }),
      JSON.stringify(Object.entries(c)),
      JSON.stringify(structuredClone(c)),
    ];
    for (const text of renderings) expectNoSecrets(text);
    expect(JSON.parse(JSON.stringify(c))).toEqual({ brand: "visa", last4: "3184", expiryMonth: 7, expiryYear: 2031, initials: "ZQ" });
    expect(`${c}`).toBe("Visa •••• 3184, 07/2031");
    expect(inspect(c)).toBe("Card(Visa •••• 3184, 07/2031)");
  });

  it("stays out of the app's log lines (pino), even when logged whole or inside an error", () => {
    let written = "";
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written += chunk.toString();
        done();
      },
    });
    const log = pino({ base: undefined }, sink);
    const c = card();
    log.info({ card: c }, "charging");
    log.info({ payment: { cards: [c] } }, `charging ${c}`);
    log.error({ err: new Error(`provider refused ${c}`) }, "refused");
    expect(written).toContain("Visa •••• 3184");
    expectNoSecrets(written);
  });
});
