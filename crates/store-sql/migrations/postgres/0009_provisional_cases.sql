-- The recompute after a calendar import reads only the open cases whose due dates were counted
-- past the known calendar (issue 3): an index range, not a scan of every open case.
CREATE INDEX cases_provisional ON cases (is_open, due_provisional, id);
