-- CreateTable
CREATE TABLE "CopiedReviewHold" (
    "requestId" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "reviewerId" TEXT NOT NULL,
    "matchedId" TEXT NOT NULL,
    "share" DOUBLE PRECISION NOT NULL,
    "points" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "settlement" TEXT,
    "settledAt" TIMESTAMP(3),
    "settledById" TEXT,

    CONSTRAINT "CopiedReviewHold_pkey" PRIMARY KEY ("requestId")
);

-- CreateIndex
CREATE INDEX "CopiedReviewHold_communityId_settledAt_idx" ON "CopiedReviewHold"("communityId", "settledAt");

