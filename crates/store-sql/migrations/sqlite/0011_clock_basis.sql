-- What each case's due dates are counted from (issue 3: domain::clock::ClockBasis in its text
-- form; NULL before the case is accepted, and on rows written before this migration until the
-- sweeper or the recompute refreshes them), so the recompute after a calendar import reads rows,
-- not logs.
ALTER TABLE cases ADD COLUMN clock_basis TEXT;
