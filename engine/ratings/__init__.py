"""好差评 (SCENARIOS.md §4.1): ratings once per case, the rectification of a
差评 by each department that handled the case, the applicant callback, the
appeal (申诉复核), the sweeps (escalation, default rating) and the summary.

One module per concept: rules (levels, indicators, the configurable
numbers), recording (a rating), rectifications, appeals, sweeps (the
periodic jobs) and summary (the supervisor's table)."""
