-- Live share links (issue 19, "Sharing that fits teams").  A share has
-- been a snapshot: its recipients see the messages that existed when the
-- link was made.  A live share ("keep this link up to date", chosen when
-- sharing) shows the conversation as it grows: every message, whenever
-- written, for as long as the link is active.  Existing links stay
-- snapshots.

ALTER TABLE shares ADD COLUMN live boolean NOT NULL DEFAULT false;
