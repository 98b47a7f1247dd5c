-- CreateTable
CREATE TABLE "InteractionClaim" (
    "key" TEXT NOT NULL,
    "claimedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InteractionClaim_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "InteractionClaim_claimedAt_idx" ON "InteractionClaim"("claimedAt");
