"""Recording a rating: online by the case's applicant, on site by a window
clerk; once per case (a unique constraint backs the check). A 差评 opens the
rectifications in the same transaction."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from models import Case, Rating, User, utcnow

from ..case_audit import record_event
from ..runtime.errors import Conflict, Forbidden, InvalidData, NotFound
from . import rectifications
from .rules import INDICATORS_BY_CHANNEL, LEVELS, MAX_COMMENT, RATEABLE_STATUSES, is_bad


class AlreadyRated(Conflict):
    code = "already_rated"


def rate_case(db, case_id: int, user_id: int, score: int, indicators: dict, comment: str = "",
              channel: str = "online", now: datetime | None = None) -> int:
    """Record the rating; return its id. Raises NotFound for a case the user
    may not rate (an applicant's guess at another's case tells nothing),
    AlreadyRated on a second attempt, InvalidData on bad values."""
    now = now or utcnow()
    clean = _validated(score, indicators, comment, channel)
    try:
        with db.write() as session:
            user = session.get(User, user_id)
            case = session.get(Case, case_id)
            _check_may_rate(user, case, channel)
            if session.scalar(select(Rating.id).where(Rating.case_id == case.id)) is not None:
                raise AlreadyRated(f"case {case.reference} has already been rated; a case is rated once")
            rating = Rating(case_id=case.id, applicant_id=case.applicant_id, channel=channel, score=clean["score"],
                            indicators=clean["indicators"], comment=clean["comment"], is_default=False,
                            recorded_by_id=user.id, created_at=now, excluded=False)
            session.add(rating)
            session.flush()  # a concurrent second rating fails here, on the unique case_id
            record_event(session, case.id, now, "rated", user,
                         payload={"score": rating.score, "channel": channel})
            if is_bad(rating.score):
                rectifications.open_for(session, rating, case, now)
            return rating.id
    except IntegrityError:
        raise AlreadyRated(f"case {case_id} has already been rated; a case is rated once") from None


def _check_may_rate(user: User | None, case: Case | None, channel: str) -> None:
    if user is None or not user.active:
        raise Forbidden("unknown or inactive user")
    if channel == "online":
        if user.role != "applicant" or case is None or case.applicant_id != user.id:
            raise NotFound(f"no case {case.id if case else ''} of yours")
    elif not (user.role == "clerk" and user.department_code == "CK"):
        raise Forbidden("only the comprehensive window records an on-site rating")
    if case is None:
        raise NotFound("no such case")
    if case.status not in RATEABLE_STATUSES:
        raise Conflict(f"case {case.reference} is {case.status}: it can be rated once it is delivered")


def _validated(score, indicators: dict, comment: str, channel: str) -> dict:
    errors: dict = {}
    if channel not in INDICATORS_BY_CHANNEL:
        raise InvalidData(f"unknown rating channel {channel!r}", {"channel": {"zh": "评价渠道无效",
                                                                            "en": "unknown channel"}})
    score = _level(score)
    if score is None:
        errors["score"] = {"zh": "请选择 1 至 5 星", "en": "choose 1 to 5 stars"}
    values = {}
    for key in INDICATORS_BY_CHANNEL[channel]:
        values[key] = _level((indicators or {}).get(key))
        if values[key] is None:
            errors[key] = {"zh": "请选择 1 至 5 星", "en": "choose 1 to 5 stars"}
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        errors["comment"] = {"zh": f"评价内容不超过 {MAX_COMMENT} 字", "en": f"at most {MAX_COMMENT} characters"}
    if errors:
        raise InvalidData(f"the rating has {len(errors)} error(s)", errors)
    return {"score": score, "indicators": values, "comment": comment}


def _level(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number in LEVELS else None
