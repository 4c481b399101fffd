-- The working-day calendar: every listed day of the official holiday schedules (holidays and
-- weekend make-up working days), by schedule year (1 Dec of the year before – 30 Nov). Seeded from
-- the shipped data on first start; an administrator imports the next year's schedule.
CREATE TABLE holidays (
    date          TEXT PRIMARY KEY,
    kind          TEXT NOT NULL,
    name          TEXT NOT NULL,
    schedule_year BIGINT NOT NULL
);
CREATE INDEX holidays_year ON holidays (schedule_year);
