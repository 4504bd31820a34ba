-- 0013: button clicks on broadcast announcements (issue 19). An announcement's buttons carry
-- "bc:<broadcast id>:" before their own payload; a press is counted once per person and button
-- (a second press of the same button is the same reader), then handled as the button itself.
-- Deleted with the person (data rights) and with the broadcast.

CREATE TABLE broadcast_clicks (
  broadcast_id INTEGER NOT NULL REFERENCES broadcasts(id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
  button TEXT NOT NULL,                -- the button's own payload: ex:<id>, menu, unsubscribe
  clicked_at INTEGER NOT NULL,
  PRIMARY KEY (broadcast_id, button, person_id)
) WITHOUT ROWID;
