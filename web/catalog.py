"""The deployed scenarios people apply for (not the shared blocks), found
by words in their names or key: the window's catalog and the public guide
list the same thing."""
from sqlalchemy import or_, select

from models import ProcessVersion

from . import get_db


def deployed_scenarios(q: str = "") -> list[ProcessVersion]:
    query = select(ProcessVersion).where(ProcessVersion.active.is_(True), ProcessVersion.category != "shared_block")
    if q:
        like = f"%{q}%"
        query = query.where(or_(ProcessVersion.name_zh.like(like), ProcessVersion.name_en.ilike(like),
                                ProcessVersion.scenario_key.ilike(like)))
    with get_db().read() as session:
        return list(session.scalars(query.order_by(ProcessVersion.category, ProcessVersion.scenario_key)))
