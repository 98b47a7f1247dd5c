-- Search and similar questions read a stored tsvector instead of parsing every candidate's
-- text again (the expression index only found the rows: the recheck and the ranking computed
-- to_tsvector once more per row). Generated, so every write keeps it; the GIN index keeps its name.
DROP INDEX "Question_search_idx";
ALTER TABLE "Question" ADD COLUMN "search" tsvector GENERATED ALWAYS AS (to_tsvector('english', "title" || ' ' || "details" || ' ' || coalesce("acceptedText", ''))) STORED;
CREATE INDEX "Question_search_idx" ON "Question" USING GIN ("search");
