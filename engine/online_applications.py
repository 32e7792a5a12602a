"""网上申报 and 网上预审: an applicant's online application, from draft to a
case. The applicant saves drafts (whatever was typed is kept) and submits;
the comprehensive window's clerks pre-review it and either accept it, which
starts the case through Runtime.start_case in the same transaction as
marking the application accepted and linking its files to the case, or
return it with the reasons, and the applicant edits and submits again."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from models import ApplicationFile, OnlineApplication, StoredFile, User, utcnow

from .departments import WINDOW
from .file_store import FileStore
from .guide import GuideUnavailable, guide_for
from .notifications import notify, notify_department
from .runtime import store
from .runtime.errors import Conflict, Forbidden, NotFound
from .runtime.service import CommandResult, Runtime

EDITABLE = ("draft", "returned")
MATERIAL_PURPOSE = "material:{key}"


class NotSubmittable(Exception):
    """The form has errors or materials are missing; nothing was lost."""

    def __init__(self, errors: dict, missing: list[dict]):
        super().__init__(f"{len(errors)} field error(s), {len(missing)} material(s) missing")
        self.errors, self.missing = errors, missing


@dataclass
class Requirements:
    """What an application needs: its intake form and its materials, each
    marked as required or not by the scenario's materials table."""

    form: object  # FormSchema
    materials: list[dict]
    required: set[str] = field(default_factory=set)

    def missing(self, files: dict[str, list]) -> list[dict]:
        """Required materials with no file; a deferrable one (容缺) may follow later."""
        return [m for m in self.materials
                if m["key"] in self.required and not files.get(m["key"]) and not m.get("deferrable")]

    def states(self, files: dict[str, list]) -> dict[str, str]:
        """The window's material check (received / deferred / not_applicable)."""
        out = {}
        for m in self.materials:
            if files.get(m["key"]):
                out[m["key"]] = "received"
            elif m["key"] in self.required:
                out[m["key"]] = "deferred"
            else:
                out[m["key"]] = "not_applicable"
        return out


def requirements(runtime: Runtime, conn, scenario_key: str, data: dict | None) -> Requirements:
    """The intake form and the materials; with data, the materials table of
    the deployed version decides which are required (all of them when the
    scenario has no table or the data cannot answer it yet)."""
    version, form = runtime.intake_form(conn, scenario_key)
    if form is None:
        raise NotFound(f"{scenario_key!r} has no intake form to apply with")
    compiled = runtime.compiled_by_version(conn, version.id)
    materials = list(compiled.metadata.get("materials") or [])
    required = {m["key"] for m in materials}
    if data is not None:
        try:
            guide = guide_for(runtime, conn, scenario_key)
            answers = {k: data[k] for k in guide.questions.schema["properties"] if k in data}
            required = set(guide.evaluate(answers, runtime.script_engine).material_keys)
        except GuideUnavailable:
            pass
    return Requirements(form, materials, required)


def files_of(session: Session, application_id: int) -> dict[str, list[StoredFile]]:
    rows = session.execute(select(ApplicationFile.material_key, StoredFile)
                           .join(StoredFile, StoredFile.id == ApplicationFile.stored_file_id)
                           .where(ApplicationFile.application_id == application_id)
                           .order_by(StoredFile.id)).all()
    out: dict[str, list[StoredFile]] = {}
    for key, row in rows:
        out.setdefault(key, []).append(row)
    return out


def own_application(session: Session, application_id: int, applicant_id: int) -> OnlineApplication:
    """The applicant's own application; another's is not found (never forbidden)."""
    row = session.scalar(select(OnlineApplication).where(OnlineApplication.id == application_id,
                                                         OnlineApplication.applicant_id == applicant_id))
    if row is None:
        raise NotFound(f"no application {application_id}")
    return row


def save_draft(session: Session, applicant_id: int, scenario_key: str, data: dict,
               application: OnlineApplication | None = None, now: datetime | None = None) -> OnlineApplication:
    """Keep what was typed, valid or not. Only a draft or a returned
    application can change."""
    now = now or utcnow()
    if application is None:
        application = OnlineApplication(applicant_id=applicant_id, scenario_key=scenario_key, status="draft",
                                        data=data, return_reason="", created_at=now, updated_at=now, version=1)
        session.add(application)
    else:
        if application.status not in EDITABLE:
            raise Conflict(f"application {application.id} is {application.status}; it can no longer be changed")
        application.data = data
        application.updated_at = now
        application.version += 1
    session.flush()
    return application


def attach(session: Session, files: FileStore, application: OnlineApplication, material_key: str,
           stream, filename: str, owner_id: int) -> StoredFile:
    """Check and store one uploaded material (FileStore: type by content,
    size, content hash); raises UploadRefused with the reason."""
    if application.status not in EDITABLE:
        raise Conflict(f"application {application.id} is {application.status}; it can no longer be changed")
    blob = files.save(stream, filename)
    row = files.record(session, blob, owner_id, MATERIAL_PURPOSE.format(key=material_key))
    session.add(ApplicationFile(application_id=application.id, stored_file_id=row.id, material_key=material_key))
    session.flush()
    return row


def detach(session: Session, application: OnlineApplication, stored_file_id: int) -> None:
    if application.status not in EDITABLE:
        raise Conflict(f"application {application.id} is {application.status}; it can no longer be changed")
    link = session.scalar(select(ApplicationFile).where(ApplicationFile.application_id == application.id,
                                                        ApplicationFile.stored_file_id == stored_file_id))
    if link is None:
        raise NotFound(f"no file {stored_file_id} in application {application.id}")
    session.delete(link)
    session.flush()


def submit(session: Session, runtime: Runtime, application: OnlineApplication,
           now: datetime | None = None) -> None:
    """Check the form and the materials; on success the application goes
    to the window's pre-review queue and its clerks are told."""
    if application.status not in EDITABLE:
        raise Conflict(f"application {application.id} is already {application.status}")
    reqs = requirements(runtime, session.connection(), application.scenario_key, application.data)
    clean, errors = reqs.form.validate(application.data)
    missing = reqs.missing(files_of(session, application.id))
    if errors or missing:
        raise NotSubmittable(errors, missing)
    now = now or utcnow()
    application.data = clean
    application.status = "submitted"
    application.submitted_at = now
    application.updated_at = now
    application.version += 1
    session.flush()
    notify_department(session.connection(), WINDOW, "online_application", f"网上申报待预审：{_name(application)}",
                      link=f"/window/online/{application.id}", roles=("clerk",), now=now)


def return_to_applicant(db, application_id: int, clerk_id: int, reasons: str, seen_version: int,
                        now: datetime | None = None) -> None:
    """Send it back with every reason at once (一次性告知)."""
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValueError("a returned application needs the reasons")
    now = now or utcnow()
    with db.write() as session:
        clerk = _window_clerk(session, clerk_id)
        application = _submitted(session, application_id, seen_version)
        application.status = "returned"
        application.return_reason = reasons[:4000]
        application.reviewed_by_id = clerk.id
        application.reviewed_at = now
        application.updated_at = now
        application.version += 1
        session.flush()
        notify(session.connection(), application.applicant_id, "application_returned",
               f"网上申报被退回：{_name(application)}", f"退回原因：{application.return_reason} 请修改后重新提交。",
               f"/my/applications/{application.id}", channels=("sms",), now=now)


def accept(runtime: Runtime, application_id: int, clerk_id: int, seen_version: int) -> CommandResult:
    """Start the case from the application: the case, the application's
    acceptance, its files linked to the case, the history entry and the
    applicant's notice are one transaction."""
    with runtime.db.read() as session:
        _window_clerk(session, clerk_id)
        application = _submitted(session, application_id, seen_version)
        files = files_of(session, application.id)
        reqs = requirements(runtime, session.connection(), application.scenario_key, application.data)
        applicant_name = session.scalar(select(User.display_name).where(User.id == application.applicant_id))
    file_ids = [f.id for rows in files.values() for f in rows]

    def link(conn, result: CommandResult) -> None:
        now = runtime.clock()
        changed = conn.execute(update(OnlineApplication).where(
            OnlineApplication.id == application.id, OnlineApplication.status == "submitted",
            OnlineApplication.version == seen_version).values(
            status="accepted", case_id=result.case_id, reviewed_by_id=clerk_id, reviewed_at=now, updated_at=now,
            version=seen_version + 1)).rowcount
        if changed != 1:
            raise Conflict("the application changed or was handled by someone else meanwhile; reload it")
        if file_ids:
            conn.execute(update(StoredFile).where(StoredFile.id.in_(file_ids)).values(case_id=result.case_id))
        store.insert_events(conn, result.case_id, [{
            "at": application.submitted_at or now, "actor_id": application.applicant_id,
            "actor_name": applicant_name or "", "kind": "applied_online", "task_spec": "", "task_title": "",
            "department_code": "", "payload": {"application_id": application.id,
                                               "files": {k: [f.id for f in v] for k, v in files.items()}}}])
        notify(conn, application.applicant_id, "application_accepted",
               f"网上申报已受理：{result.reference}", f"您的网上申报已受理，办件编号 {result.reference}。",
               f"/my/cases/{result.case_id}", channels=("sms",), now=now)

    return runtime.start_case(application.scenario_key, application.data, clerk_id,
                              applicant_id=application.applicant_id, materials=reqs.states(files), also=link)


def queue(session: Session, limit: int = 200) -> list[OnlineApplication]:
    """Submitted applications, oldest first (first come, first served)."""
    return list(session.scalars(select(OnlineApplication).where(OnlineApplication.status == "submitted")
                                .order_by(OnlineApplication.submitted_at, OnlineApplication.id).limit(limit)))


def waiting_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(OnlineApplication)
                          .where(OnlineApplication.status == "submitted")) or 0


def _window_clerk(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or not user.active or user.role != "clerk" or user.department_code != WINDOW:
        raise Forbidden("only the comprehensive window's clerks pre-review online applications")
    return user


def _submitted(session: Session, application_id: int, seen_version: int) -> OnlineApplication:
    application = session.get(OnlineApplication, application_id)
    if application is None:
        raise NotFound(f"no application {application_id}")
    if application.status != "submitted":
        raise Conflict(f"application {application_id} is {application.status}, not waiting for pre-review")
    if application.version != seen_version:
        raise Conflict("the applicant changed the application meanwhile; reload it")
    return application


def _name(application: OnlineApplication) -> str:
    data = application.data or {}
    for key in ("proposed_name", "company_name", "applicant_name", "legal_rep_name"):
        if data.get(key):
            return str(data[key])[:100]
    return f"#{application.id}"
