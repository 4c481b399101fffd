#!/usr/bin/env python3
"""Print `date,is_workday` (1/0) for every day from 2004-01-01 to 2026-12-31 according to the
chinese-calendar package (PyPI `chinesecalendar==1.11.0`, module `chinese_calendar`).

It is the independent reference for crates/domain/tests/calendar_chinese_calendar.rs, which
reads this output from the file named by ONEWINDOW_CHINESE_CALENDAR_DUMP:

    python3 -m venv /tmp/cc && /tmp/cc/bin/pip install chinesecalendar==1.11.0
    /tmp/cc/bin/python scripts/chinese_calendar_dump.py > /tmp/cc.csv
    ONEWINDOW_CHINESE_CALENDAR_DUMP=/tmp/cc.csv cargo test -p onewindow-domain \
        --test calendar_chinese_calendar
"""

import datetime
import sys

import chinese_calendar

FIRST = datetime.date(2004, 1, 1)
LAST = datetime.date(2026, 12, 31)
EXPECTED_VERSION = "1.11.0"


def main() -> int:
    version = getattr(chinese_calendar, "__version__", None)
    if version is not None and version != EXPECTED_VERSION:
        print(f"chinese_calendar {version} found, {EXPECTED_VERSION} expected", file=sys.stderr)
        return 1
    out = sys.stdout
    out.write("date,is_workday\n")
    day = FIRST
    while day <= LAST:
        out.write(f"{day.isoformat()},{1 if chinese_calendar.is_workday(day) else 0}\n")
        day += datetime.timedelta(days=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
