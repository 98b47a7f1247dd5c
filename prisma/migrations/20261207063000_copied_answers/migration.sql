-- Copied answers: fingerprints of accepted answers and review summaries, and held points.
CREATE TABLE "AnswerFingerprint" (
    "id" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "authorId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "url" TEXT,
    "hashes" INTEGER[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AnswerFingerprint_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "CopiedAnswerHold" (
    "questionId" TEXT NOT NULL,
    "communityId" TEXT NOT NULL,
    "answererId" TEXT NOT NULL,
    "matchedId" TEXT NOT NULL,
    "share" DOUBLE PRECISION NOT NULL,
    "answerPoints" INTEGER NOT NULL,
    "bounty" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "settlement" TEXT,
    "settledAt" TIMESTAMP(3),
    "settledById" TEXT,

    CONSTRAINT "CopiedAnswerHold_pkey" PRIMARY KEY ("questionId")
);

CREATE UNIQUE INDEX "AnswerFingerprint_kind_sourceId_authorId_key" ON "AnswerFingerprint"("kind", "sourceId", "authorId");
CREATE INDEX "AnswerFingerprint_hashes_idx" ON "AnswerFingerprint" USING GIN ("hashes");
CREATE INDEX "CopiedAnswerHold_communityId_settledAt_idx" ON "CopiedAnswerHold"("communityId", "settledAt");
