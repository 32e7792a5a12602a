"""What the JSON API reads and writes, as marshmallow schemas: request
bodies and query strings are loaded (422 with per-field messages when they
are wrong), responses are dumped. The OpenAPI document is generated from
these classes (web/api/openapi.py)."""
from __future__ import annotations

from marshmallow import Schema, fields, validate
from marshmallow.utils import get_value

MAX_PAGE_SIZE = 100


class StrictSchema(Schema):
    """Unknown keys are an error (marshmallow's default, said out loud)."""

    class Meta:
        unknown = "raise"


# ------------------------------------------------------------------ requests

class StartCaseSchema(StrictSchema):
    scenario = fields.String(required=True, validate=validate.Length(min=1, max=64),
                             metadata={"description": "The scenario key, e.g. `restaurant` (GET /processes)."})
    data = fields.Dict(keys=fields.String(), required=True,
                       metadata={"description": "The merged intake form (一表申请), as the window's form "
                                                "takes it; validated against the scenario's intake form."})


class CompleteTaskSchema(StrictSchema):
    data = fields.Dict(keys=fields.String(), load_default=dict,
                       metadata={"description": "The task's form values (GET the task for its JSON schema)."})
    seen_version = fields.Integer(strict=True, allow_none=True, load_default=None,
                                  validate=validate.Range(min=1),
                                  metadata={"description": "The case version the caller read. A task "
                                                          "completed meanwhile is refused (409)."})


class WithdrawSchema(StrictSchema):
    reason = fields.String(load_default="", validate=validate.Length(max=500))


class WorkItemQuerySchema(StrictSchema):
    scenario = fields.String(load_default="", validate=validate.Length(max=64),
                             metadata={"description": "Only this scenario's work."})
    show = fields.String(load_default="all", validate=validate.OneOf(["all", "mine", "unclaimed"]))
    due = fields.String(load_default="", validate=validate.OneOf(["", "soon", "overdue"]),
                        metadata={"description": "`soon`: due within two days; `overdue`: past due."})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    page_size = fields.Integer(load_default=25, validate=validate.Range(min=1, max=MAX_PAGE_SIZE))


# ------------------------------------------------------------------ responses

class DepartmentSchema(Schema):
    code = fields.String()
    name_zh = fields.String()
    name_en = fields.String()


class MeSchema(Schema):
    id = fields.Integer()
    username = fields.String()
    display_name = fields.String()
    role = fields.String()
    department = fields.Nested(DepartmentSchema, allow_none=True)
    auth = fields.String(metadata={"description": "`token` or `session`."})
    csrf_token = fields.String(metadata={"description": "Session calls only: send it as the X-CSRFToken "
                                                        "header on POST."})


class ProcessSchema(Schema):
    key = fields.String(attribute="scenario_key")
    version = fields.Integer()
    process_id = fields.String()
    name_zh = fields.String()
    name_en = fields.String()
    category = fields.String(metadata={"description": "`shared_block` processes run only inside a scenario."})
    content_hash = fields.String()
    promised_working_days = fields.Function(lambda v: (get_value(v, "meta") or {}).get("promised_working_days"),
                                            metadata={"type": "integer", "nullable": True})
    deployed_at = fields.DateTime()
    deployed_by = fields.String(attribute="deployed_by_name")


class WorkItemSchema(Schema):
    """An open work item (a ready or claimed user task) as the projection holds it."""

    task_id = fields.String()
    task = fields.String(attribute="task_spec", metadata={"description": "The BPMN element id."})
    title = fields.String(attribute="title_zh")
    title_en = fields.String()
    department = fields.String(attribute="department_code")
    form_key = fields.String()
    permit = fields.String()
    claimed_by = fields.Function(lambda i: get_value(i, "claimed_by_name") or None, metadata={"type": "string", "nullable": True})
    claimed_at = fields.DateTime(allow_none=True)
    due_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()


class QueueItemSchema(WorkItemSchema):
    case_id = fields.Integer()
    case_reference = fields.String()
    case_version = fields.Integer(metadata={"description": "Send it back as seen_version when completing."})
    scenario = fields.String()
    applicant = fields.String()


class WorkItemPageSchema(Schema):
    items = fields.List(fields.Nested(QueueItemSchema))
    total = fields.Integer()
    page = fields.Integer()
    page_size = fields.Integer()
    pages = fields.Integer()


class TaskSchema(WorkItemSchema):
    """A work item with what completing it needs: the form and the case version."""

    case_id = fields.Integer()
    case_reference = fields.String()
    case_version = fields.Integer()
    form = fields.Dict(allow_none=True, metadata={"description": "The form's JSON schema (null: no form)."})


class EventSchema(Schema):
    at = fields.DateTime()
    actor = fields.String(attribute="actor_name")
    kind = fields.String()
    task = fields.String(attribute="task_spec")
    title = fields.String(attribute="task_title")
    department = fields.String(attribute="department_code")


class CaseSchema(Schema):
    id = fields.Integer()
    reference = fields.String()
    scenario = fields.String(attribute="scenario_key")
    process_version = fields.Integer()
    status = fields.String(metadata={"enum": ["running", "completed", "rejected", "withdrawn"]})
    version = fields.Integer(metadata={"description": "Row version; send as seen_version."})
    applicant = fields.String(attribute="applicant_name")
    current_step = fields.String()
    due_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)
    work_items = fields.List(fields.Nested(WorkItemSchema))
    events = fields.List(fields.Nested(EventSchema))
    data = fields.Dict(metadata={"description": "The case data, merged over the branches that ran."})


class ResultItemSchema(Schema):
    task_id = fields.String()
    task = fields.String()
    title = fields.String()
    department = fields.String()
    form_key = fields.String(allow_none=True)
    claimed_by = fields.String(allow_none=True)
    due_at = fields.String(allow_none=True, metadata={"format": "date-time"})


class CommandResultSchema(Schema):
    """What a command did: the case's state after it and its open work."""

    case_id = fields.Integer()
    reference = fields.String()
    status = fields.String()
    version = fields.Integer()
    current_step = fields.String()
    work_items = fields.List(fields.Nested(ResultItemSchema))
    reran_on_fresh_state = fields.Boolean(metadata={"description": "The case had changed since seen_version; "
                                                                   "the command ran on its fresh state."})


class ErrorSchema(Schema):
    class Meta:
        unknown = "include"  # engine errors may add details of their own

    code = fields.String(required=True, metadata={"description": "Stable, for programs: not_found, conflict, "
                                                                "invalid_data, invalid_request, ..."})
    message = fields.String(required=True, metadata={"description": "For people."})
    errors = fields.Dict(metadata={"description": "Per field: a list of messages (invalid_request) or "
                                                  "{zh, en} (invalid_data, a form that failed)."})
