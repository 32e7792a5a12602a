"""Cases and their tasks: start at the window, read, claim, release,
complete, withdraw. The same checks as the pages (web/window, web/cases,
web/queue): the caller's role, then the case must be visible to them (404
otherwise), then a task must belong to their department (404 otherwise, as
on the task page); the runtime checks everything again in its transaction."""
from __future__ import annotations

from flask import request, url_for
from sqlalchemy import select

from engine.runtime.case_data import case_data
from engine.runtime.errors import Forbidden
from models import CaseEvent, ProcessVersion, WorkItem

from .. import get_db, get_runtime
from ..access import STAFF
from . import bp
from .auth import caller, load_visible_case, roles_required
from .errors import ApiError
from .schemas import (CaseSchema, CommandResultSchema, CompleteTaskSchema, StartCaseSchema, TaskSchema,
                      WithdrawSchema)


def load_body(schema) -> dict:
    """The JSON body through a marshmallow schema (422 on bad input)."""
    raw = request.get_json(silent=True)
    if raw is None:
        if request.get_data(cache=True).strip():
            raise ApiError(400, "the body is not valid JSON", code="invalid_json")
        raw = {}
    return schema.load(raw)


def case_payload(session, case) -> dict:
    items = session.scalars(select(WorkItem).where(WorkItem.case_id == case.id).order_by(WorkItem.id)).all()
    events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)).all()
    version = session.scalar(select(ProcessVersion.version).where(ProcessVersion.id == case.process_version_id))
    data = case_data(get_runtime().peek_workflow(case))
    return {**{c: getattr(case, c) for c in ("id", "reference", "scenario_key", "status", "version",
                                              "applicant_name", "current_step", "due_at", "created_at",
                                              "updated_at", "closed_at")},
            "process_version": version, "work_items": items, "events": events, "data": data}


def _department_item(session, case, task_id: str) -> WorkItem | None:
    """The open work item, if any; another department's is a 404 (not even
    its existence is shown, as on the task page)."""
    item = session.scalar(select(WorkItem).where(WorkItem.case_id == case.id, WorkItem.task_id == task_id))
    if item is not None and item.department_code != caller().department_code:
        raise ApiError(404, f"no task {task_id} for you in case {case.reference}")
    return item


def _hidden_forbidden(action):
    """Run a task command; the runtime's Forbidden (another department's
    task, even a completed one) is a 404 like on the pages."""
    try:
        return action()
    except Forbidden:
        raise ApiError(404, "no such task for you in this case") from None


@bp.post("/cases")
@roles_required("clerk")
def start_case():
    """Start a case.
    ---
    post:
      summary: Start a case at the window (一表申请)
      description: A window clerk files the merged intake form; the intake task is completed and the
        departments' work opens. Form faults are a 422 with `errors` per field in Chinese and English.
      tags: [cases]
      requestBody:
        required: true
        content:
          application/json:
            schema: StartCaseSchema
      responses:
        201:
          description: The case as started; Location names it.
          content:
            application/json:
              schema: CaseSchema
        400: BadRequest
        401: Unauthorized
        403: Forbidden
        404: NotFound
        422: InvalidRequest
    """
    body = load_body(StartCaseSchema())
    result = get_runtime().start_case(body["scenario"], body["data"], caller().id)
    with get_db().read() as session:
        case = load_visible_case(session, result.case_id)
        payload = CaseSchema().dump(case_payload(session, case))
    return payload, 201, {"Location": url_for("api.get_case", case_id=result.case_id)}


@bp.get("/cases/<int:case_id>")
def get_case(case_id: int):
    """A case.
    ---
    get:
      summary: A case with its open work items, history and data
      tags: [cases]
      responses:
        200:
          content:
            application/json:
              schema: CaseSchema
        401: Unauthorized
        404: NotFound
    """
    with get_db().read() as session:
        case = load_visible_case(session, case_id)
        return CaseSchema().dump(case_payload(session, case))


@bp.get("/cases/<int:case_id>/tasks/<task_id>")
@roles_required(*STAFF)
def get_task(case_id: int, task_id: str):
    """An open task of the caller's department.
    ---
    get:
      summary: An open work item with its form (JSON schema) and the case version to send back
      tags: [tasks]
      responses:
        200:
          content:
            application/json:
              schema: TaskSchema
        401: Unauthorized
        403: Forbidden
        404: NotFound
    """
    with get_db().read() as session:
        case = load_visible_case(session, case_id)
        item = _department_item(session, case, task_id)
        if item is None:
            raise ApiError(404, f"task {task_id} of case {case.reference} is not open")
        compiled = get_runtime().compiled_by_version(session.connection(), case.process_version_id)
        form = compiled.forms.get(item.form_key) if item.form_key else compiled.forms.get("#" + item.task_spec)
        return TaskSchema().dump({**{c.key: getattr(item, c.key) for c in WorkItem.__table__.columns},
                                  "case_id": case.id, "case_reference": case.reference,
                                  "case_version": case.version, "form": form.schema if form else None})


@bp.post("/cases/<int:case_id>/tasks/<task_id>/claim")
@roles_required(*STAFF)
def claim_task(case_id: int, task_id: str):
    """Claim a task.
    ---
    post:
      summary: Claim a work item for yourself
      tags: [tasks]
      responses:
        200:
          content:
            application/json:
              schema: CommandResultSchema
        401: Unauthorized
        403: Forbidden
        404: NotFound
        409: Conflict
    """
    return _claim(case_id, task_id, claim=True)


@bp.post("/cases/<int:case_id>/tasks/<task_id>/release")
@roles_required(*STAFF)
def release_task(case_id: int, task_id: str):
    """Release a task.
    ---
    post:
      summary: Give a claimed work item back to the department queue
      tags: [tasks]
      responses:
        200:
          content:
            application/json:
              schema: CommandResultSchema
        401: Unauthorized
        403: Forbidden
        404: NotFound
        409: Conflict
    """
    return _claim(case_id, task_id, claim=False)


def _claim(case_id: int, task_id: str, claim: bool):
    with get_db().read() as session:
        case = load_visible_case(session, case_id)
        _department_item(session, case, task_id)
    runtime = get_runtime()
    command = runtime.claim if claim else runtime.release
    result = _hidden_forbidden(lambda: command(case_id, task_id, caller().id))
    return CommandResultSchema().dump(result)


@bp.post("/cases/<int:case_id>/tasks/<task_id>/complete")
@roles_required(*STAFF)
def complete_task(case_id: int, task_id: str):
    """Complete a task.
    ---
    post:
      summary: Complete a work item with its form data
      description: A task completed by someone else meanwhile is a 409 saying who did it and when;
        form faults are a 422 with `errors` per field in Chinese and English.
      tags: [tasks]
      requestBody:
        required: true
        content:
          application/json:
            schema: CompleteTaskSchema
      responses:
        200:
          content:
            application/json:
              schema: CommandResultSchema
        400: BadRequest
        401: Unauthorized
        403: Forbidden
        404: NotFound
        409: Conflict
        422: InvalidRequest
    """
    body = load_body(CompleteTaskSchema())
    with get_db().read() as session:
        case = load_visible_case(session, case_id)
        _department_item(session, case, task_id)
    # No open item: the runtime says why (completed by whom, or not ready).
    result = _hidden_forbidden(lambda: get_runtime().complete_task(
        case_id, task_id, body["data"], caller().id, body["seen_version"]))
    return CommandResultSchema().dump(result)


@bp.post("/cases/<int:case_id>/withdraw")
@roles_required("clerk", "applicant")
def withdraw_case(case_id: int):
    """Withdraw a case.
    ---
    post:
      summary: Withdraw a running case (the window, or the applicant their own)
      tags: [cases]
      requestBody:
        content:
          application/json:
            schema: WithdrawSchema
      responses:
        200:
          content:
            application/json:
              schema: CommandResultSchema
        401: Unauthorized
        403: Forbidden
        404: NotFound
        409: Conflict
        422: InvalidRequest
    """
    body = load_body(WithdrawSchema())
    with get_db().read() as session:
        load_visible_case(session, case_id)
    result = get_runtime().withdraw(case_id, caller().id, body["reason"])
    return CommandResultSchema().dump(result)
