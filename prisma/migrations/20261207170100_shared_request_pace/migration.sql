-- CreateTable
CREATE TABLE "PaceTimeline" (
    "key" TEXT NOT NULL,
    "nextAt" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "PaceTimeline_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "PaceTimeline_nextAt_idx" ON "PaceTimeline"("nextAt");

