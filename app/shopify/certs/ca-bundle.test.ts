import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/**
 * The Shopify CA bundle the app trusts for mTLS by default. These tests are meant
 * to start failing when a certificate in it expires, so that someone renews it.
 */
const BUNDLE = "app/shopify/certs/shopify-payments-platform-ca.pem";

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----/g;

const text = readFileSync(BUNDLE, "utf8");
const firstBlock = text.indexOf("-----BEGIN");
// Text before the first block is comments; everything after it must be certificates.
const pemPart = firstBlock === -1 ? "" : text.slice(firstBlock);
const blocks = pemPart.match(PEM_BLOCK) ?? [];
const certificates = blocks.map((block) => new X509Certificate(block));

describe("the Shopify Payments Platform CA bundle", () => {
  it("holds at least one certificate", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(1);
  });

  it("holds nothing but certificates after the leading comments", () => {
    expect(pemPart.replace(PEM_BLOCK, "").trim()).toBe("");
  });

  it("holds only CA certificates", () => {
    expect(certificates.map((certificate) => certificate.ca)).toEqual(blocks.map(() => true));
  });

  it("holds a self-signed root that verifies with its own public key", () => {
    const roots = certificates.filter((certificate) => certificate.subject === certificate.issuer);
    expect(roots.length).toBeGreaterThanOrEqual(1);
    for (const root of roots) {
      expect(root.checkIssued(root)).toBe(true);
      expect(root.verify(root.publicKey)).toBe(true);
    }
  });

  it("holds only certificates that are valid today (renew the bundle if this fails)", () => {
    const now = Date.now();
    const invalid = certificates
      .filter((certificate) => {
        const notBefore = Date.parse(certificate.validFrom);
        const notAfter = Date.parse(certificate.validTo);
        return Number.isNaN(notBefore) || Number.isNaN(notAfter) || notBefore > now || notAfter <= now;
      })
      .map((certificate) => `${certificate.subject.replace(/\n/g, ", ")} (${certificate.validFrom} .. ${certificate.validTo})`);
    expect(invalid).toEqual([]);
  });
});
