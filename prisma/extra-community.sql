
-- Full-text search over questions and their accepted answers (Prisma cannot express expression indexes).
CREATE INDEX "Question_search_idx" ON "Question" USING GIN (to_tsvector('english', "title" || ' ' || "details" || ' ' || coalesce("acceptedText", '')));
