-- CreateTable
CREATE TABLE "PaymentSearchTerm" (
    "shop" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "paymentSessionId" TEXT NOT NULL,

    CONSTRAINT "PaymentSearchTerm_pkey" PRIMARY KEY ("shop","digest","paymentSessionId")
);

-- CreateIndex
CREATE INDEX "PaymentSearchTerm_paymentSessionId_idx" ON "PaymentSearchTerm"("paymentSessionId");

-- AddForeignKey
ALTER TABLE "PaymentSearchTerm" ADD CONSTRAINT "PaymentSearchTerm_paymentSessionId_fkey" FOREIGN KEY ("paymentSessionId") REFERENCES "PaymentSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

