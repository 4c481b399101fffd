-- Cases on an existing licence (change art. 49, renewal art. 50, cancellation art. 70) name it in
-- a column, so that a licence has at most one such case open at a time: the partial unique index
-- refuses a second in the very transaction that would create it, whichever instance writes it.
-- A case frees its licence when it closes (decided, refused, withdrawn: `is_open` turns 0 in the
-- same update). The sweeper also finds the recently closed ones here, to carry a grant whose
-- register change a crash lost into the register (`cases_closed_changed` finds them).
ALTER TABLE cases ADD COLUMN licence_number TEXT;

-- Cases from before this column: the number their `licence_named` event recorded.
UPDATE cases SET licence_number = (
    SELECT json_extract(e.body, '$.kind.number') FROM case_events e
    WHERE e.case_id = cases.id AND e.kind = 'licence_named'
)
WHERE EXISTS (
    SELECT 1 FROM case_events e WHERE e.case_id = cases.id AND e.kind = 'licence_named'
);
-- Should two be open on one licence already (made before the rule), the earlier keeps the
-- licence and the later is left unnamed here, so the index can be built; both still run.
UPDATE cases SET licence_number = NULL
WHERE is_open = 1 AND licence_number IS NOT NULL AND EXISTS (
    SELECT 1 FROM cases o
    WHERE o.licence_number = cases.licence_number AND o.is_open = 1 AND o.id < cases.id
);

CREATE UNIQUE INDEX cases_one_open_per_licence ON cases (licence_number)
    WHERE is_open = 1 AND licence_number IS NOT NULL;
