-- What each case's row keeps of its log's last event: its hash and the day it was recorded on
-- (store::LogHeadRow, written with every append; NULL while the log is empty), so the recompute
-- after a calendar import (issue 3) chains a DueDateChanged on the log without reading the
-- event rows: that read was ≈ 1.4 s of SQLite's work for 1,000,000 cases.
ALTER TABLE cases ADD COLUMN head_hash TEXT;
ALTER TABLE cases ADD COLUMN head_on TEXT;
-- Only from a body that parses and names a day: a damaged event must not stop the upgrade (its
-- row keeps no head; `audit verify` names the event, and the recompute refuses the case).
UPDATE cases SET head_hash = e.hash, head_on = json_extract(e.body, '$.on')
FROM case_events e WHERE e.case_id = cases.id AND e.seq = cases.version
AND json_valid(e.body)
AND json_extract(e.body, '$.on') GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]';
