-- Similar questions (/ask, /questions): trigram similarity of titles (pg_trgm). The GIN index
-- serves /questions when no question holds the typed words (a typo): `$words <% "title"`.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "Question_title_trgm_idx" ON "Question" USING GIN ("title" gin_trgm_ops);
