"""绿色通道办 (SCENARIOS.md §3): the supervisor's key-project list (projects),
and what happens when a case of a listed applicant starts (matching)."""
