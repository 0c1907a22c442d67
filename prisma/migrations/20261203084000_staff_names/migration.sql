-- AlterTable
ALTER TABLE "AuditEntry" ADD COLUMN "staffEmail" TEXT;
ALTER TABLE "AuditEntry" ADD COLUMN "staffName" TEXT;
