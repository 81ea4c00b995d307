-- 0011: the knowledge answers events gave, word for word, each kept once
-- in answers and referred to by events.answer_pk, apart from replies.
-- Most requests are questions answered from the knowledge base, and a few
-- dozen answers serve them all; in replies each event's reference went
-- into the index events_reply, which the foreign key events.reply_pk
-- needs, under its answer's id: a page of that index per distinct answer
-- in every group commit. answer_pk has neither a foreign key nor an index,
-- so recording such an event appends to events alone; events_reply now
-- leaves out the events without a reply_pk (the foreign key's lookups,
-- reply_pk = ?, still use it), so theirs add nothing to it. An answer holds
-- nothing a user wrote (bot.Event.KnowledgeReply), so forgetting a user
-- leaves it; last_used (Unix milliseconds) is at or after the time of
-- every event that refers to it, so Prune deletes the answers whose
-- last_used is older than what it keeps.
CREATE TABLE answers (
	id        INTEGER PRIMARY KEY,
	hash      INTEGER NOT NULL, -- FNV-1a of text, to find it again
	text      TEXT NOT NULL,
	last_used INTEGER NOT NULL
);
CREATE INDEX answers_hash ON answers (hash);
ALTER TABLE events ADD COLUMN answer_pk INTEGER;
DROP INDEX events_reply;
CREATE INDEX events_reply ON events (reply_pk) WHERE reply_pk IS NOT NULL;
