-- Schema 2: the job queue's record, image prompts and images, and full-text search over messages.

CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY,
    kind         TEXT    NOT NULL,
    title        TEXT    NOT NULL DEFAULT '',
    lane         TEXT    NOT NULL DEFAULT '',
    priority     INTEGER NOT NULL DEFAULT 1 CHECK (priority BETWEEN 0 AND 2),
    state        TEXT    NOT NULL DEFAULT 'queued'
                 CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled', 'interrupted')),
    params       TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(params)),
    progress     REAL    NOT NULL DEFAULT -1,
    message      TEXT    NOT NULL DEFAULT '',
    error        TEXT    NOT NULL DEFAULT '',
    result       TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(result)),
    created_at   INTEGER NOT NULL,
    started_at   INTEGER,
    finished_at  INTEGER
);

CREATE INDEX jobs_by_state ON jobs (state, id);

CREATE TABLE image_prompts (
    id               INTEGER PRIMARY KEY,
    prompt           TEXT    NOT NULL,
    negative_prompt  TEXT    NOT NULL DEFAULT '',
    params           TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(params)),
    created_at       INTEGER NOT NULL
);

CREATE TABLE images (
    id          INTEGER PRIMARY KEY,
    prompt_id   INTEGER NOT NULL REFERENCES image_prompts (id) ON DELETE CASCADE,
    seed        INTEGER NOT NULL,
    width       INTEGER NOT NULL CHECK (width > 0),
    height      INTEGER NOT NULL CHECK (height > 0),
    file_path   TEXT    NOT NULL,
    params      TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(params)),
    created_at  INTEGER NOT NULL
);

CREATE INDEX images_by_prompt ON images (prompt_id, id);

-- Message text, indexed. External content: the text lives once, in messages.
CREATE VIRTUAL TABLE messages_fts USING fts5 (
    content,
    content = 'messages',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages
BEGIN
    INSERT INTO messages_fts (rowid, content) VALUES (NEW.id, NEW.content);
END;

CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', OLD.id, OLD.content);
END;

CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages
BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', OLD.id, OLD.content);
    INSERT INTO messages_fts (rowid, content) VALUES (NEW.id, NEW.content);
END;

-- Messages written under schema 1 become searchable too.
INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
