-- Schema 3: what the chat needs on top of schema 1-2: a rating per reply (for preference data),
-- and per conversation the model, the system prompt and the message whose branch is shown.

ALTER TABLE messages ADD COLUMN rating INTEGER NOT NULL DEFAULT 0 CHECK (rating IN (-1, 0, 1));

ALTER TABLE conversations ADD COLUMN model_path TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN system_prompt TEXT NOT NULL DEFAULT ''
    CHECK (length(CAST(system_prompt AS BLOB)) <= 1048576);
-- The newest message of the branch on screen (regenerated replies and edits are siblings);
-- NULL = follow the newest child at every step.
ALTER TABLE conversations ADD COLUMN active_message_id INTEGER
    REFERENCES messages (id) ON DELETE SET NULL;

-- Replies left streaming are found quickly at start (and marked interrupted).
CREATE INDEX messages_by_state ON messages (state) WHERE state = 'streaming';
