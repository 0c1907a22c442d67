-- AlterTable
ALTER TABLE "AuditEntry" ADD COLUMN     "staffEmail" TEXT,
ADD COLUMN     "staffName" TEXT;

