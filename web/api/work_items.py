"""A department's queue as JSON: the same filters and order as /queue
(web/queue/routes.py), read from the work_items projection only."""
from flask import request
from sqlalchemy import func, select

from models import Case, WorkItem, utcnow

from .. import get_db
from ..access import STAFF
from ..queue.routes import SOON
from . import bp
from .auth import caller, roles_required
from .schemas import WorkItemPageSchema, WorkItemQuerySchema


@bp.get("/work-items")
@roles_required(*STAFF)
def work_items():
    """The caller's department queue.
    ---
    get:
      summary: Open work items of the caller's department, soonest due first
      tags: [tasks]
      parameters:
      - in: query
        schema: WorkItemQuerySchema
      responses:
        200:
          content:
            application/json:
              schema: WorkItemPageSchema
        401: Unauthorized
        403: Forbidden
        422: InvalidRequest
    """
    args = WorkItemQuerySchema().load(request.args.to_dict())
    user = caller()
    now = utcnow()
    query = (select(WorkItem, Case.reference, Case.applicant_name, Case.scenario_key, Case.version)
             .join(Case, Case.id == WorkItem.case_id).where(WorkItem.department_code == user.department_code))
    if args["scenario"]:
        query = query.where(Case.scenario_key == args["scenario"])
    if args["show"] == "mine":
        query = query.where(WorkItem.claimed_by_id == user.id)
    elif args["show"] == "unclaimed":
        query = query.where(WorkItem.claimed_by_id.is_(None))
    if args["due"] == "overdue":
        query = query.where(WorkItem.due_at < now)
    elif args["due"] == "soon":
        query = query.where(WorkItem.due_at >= now, WorkItem.due_at < now + SOON)
    page, size = args["page"], args["page_size"]
    with get_db().read() as session:
        total = session.scalar(select(func.count()).select_from(query.subquery()))
        rows = session.execute(query.order_by(WorkItem.due_at.is_(None), WorkItem.due_at, WorkItem.id)
                               .limit(size).offset((page - 1) * size)).all()
    items = [{**{c.key: getattr(item, c.key) for c in WorkItem.__table__.columns}, "case_reference": reference,
              "applicant": applicant, "scenario": scenario, "case_version": version}
             for item, reference, applicant, scenario, version in rows]
    return WorkItemPageSchema().dump({"items": items, "total": total, "page": page, "page_size": size,
                                      "pages": max(1, -(-total // size))})
