"""Why a studio command did not go through. Nothing is written when one
is raised."""
from __future__ import annotations

from datetime import datetime

from ..problems import Problem
from ..runtime.errors import CommandError, Conflict


class StaleDraft(Conflict):
    """The draft was saved by someone (or some tab) since the caller read it:
    saving over it would lose their work."""

    code = "stale_draft"

    def __init__(self, by: str, at: datetime, revision: int):
        super().__init__(f"the draft was changed by {by} at {at:%Y-%m-%d %H:%M} UTC (revision {revision}); "
                         "reload it before saving", by=by, at=at.isoformat(), revision=revision)
        self.by, self.at, self.revision = by, at, revision


class DraftRefused(CommandError):
    """Files that may not enter a draft (unsafe or unreadable XML, too large,
    an expression the restricted evaluator refuses, a path outside the
    scenario's layout) or a draft that may not be deployed (it has errors)."""

    code = "refused"
    http_status = 422

    def __init__(self, message: str, problems: list[Problem]):
        super().__init__(message, problems=[p.as_dict() for p in problems])
        self.problems = list(problems)


class NotDeployable(DraftRefused):
    """The draft has problems (validation, lint, a key that is not its own)."""

    code = "not_deployable"
