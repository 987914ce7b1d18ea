ALTER TABLE notes ADD COLUMN tag TEXT NOT NULL DEFAULT 'untagged';
CREATE INDEX notes_by_tag ON notes(tag);
