"""The one way SupportDesk writes dates and times on its pages (issue 18: one date format).

``{{ value|date }}`` gives "Tue Dec 1, 2026", ``{{ value|date:"DATETIME_FORMAT" }}`` gives
"Tue Dec 1, 2026, 13:49" (24-hour, as ServiceNow and the seeds' SLA clocks write times).
Files for machines (exports, ServiceNow text) keep ISO 8601.
"""

DATE_FORMAT = "D M j, Y"
DATETIME_FORMAT = "D M j, Y, H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "D M j, Y"
SHORT_DATETIME_FORMAT = "D M j, Y, H:i"
MONTH_DAY_FORMAT = "D M j"
