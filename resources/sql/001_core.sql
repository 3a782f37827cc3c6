-- Schema 1: conversations, their messages (branching by parent), models and settings.
-- Times are INTEGER milliseconds since the Unix epoch (UTC). JSON columns hold valid JSON text.

CREATE TABLE conversations (
    id          INTEGER PRIMARY KEY,
    title       TEXT    NOT NULL CHECK (length(title) <= 1000),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    params      TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(params))
);

CREATE INDEX conversations_by_update ON conversations (updated_at DESC);

CREATE TABLE messages (
    id              INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    parent_id       INTEGER REFERENCES messages (id) ON DELETE CASCADE,
    role            TEXT    NOT NULL CHECK (role IN ('system', 'user', 'assistant', 'tool')),
    content         TEXT    NOT NULL CHECK (length(CAST(content AS BLOB)) <= 8388608),
    created_at      INTEGER NOT NULL,
    state           TEXT    NOT NULL DEFAULT 'complete'
                    CHECK (state IN ('complete', 'streaming', 'interrupted', 'failed')),
    params          TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(params)),
    stats           TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(stats))
);

CREATE INDEX messages_by_conversation ON messages (conversation_id, id);
CREATE INDEX messages_by_parent ON messages (parent_id);

-- A new or edited message marks its conversation as recently changed.
CREATE TRIGGER messages_touch_conversation AFTER INSERT ON messages
BEGIN
    UPDATE conversations SET updated_at = max(updated_at, NEW.created_at)
    WHERE id = NEW.conversation_id;
END;

CREATE TABLE models (
    id        INTEGER PRIMARY KEY,
    path      TEXT    NOT NULL UNIQUE,
    name      TEXT    NOT NULL,
    metadata  TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
    status    TEXT    NOT NULL DEFAULT 'unknown' CHECK (status IN ('unknown', 'ok', 'error')),
    error     TEXT    NOT NULL DEFAULT '',
    added_at  INTEGER NOT NULL
);

CREATE TABLE settings (
    key    TEXT PRIMARY KEY NOT NULL,
    value  TEXT NOT NULL CHECK (json_valid(value))
) WITHOUT ROWID;
