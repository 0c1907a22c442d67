-- CreateIndex
CREATE INDEX "PaymentSession_shop_currency_receivedAt_idx" ON "PaymentSession"("shop", "currency", "receivedAt");
