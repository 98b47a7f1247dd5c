-- AlterTable
ALTER TABLE "InteractionClaim" ADD COLUMN     "deferredAt" TIMESTAMP(3),
ADD COLUMN     "holder" TEXT,
ADD COLUMN     "resume" JSONB,
ADD COLUMN     "state" TEXT NOT NULL DEFAULT 'claimed';

-- CreateIndex
CREATE INDEX "InteractionClaim_state_holder_idx" ON "InteractionClaim"("state", "holder");
