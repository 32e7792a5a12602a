"""The comprehensive window (综合窗口): the service catalog, the merged
intake form (一表申请) that starts a case, and the acceptance receipt."""
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user
from sqlalchemy import select

from engine import visits
from engine.appointments.checkin import AppointmentOrigin, intake_prefill
from engine.runtime.errors import CommandError, InvalidData, NotFound
from models import Appointment, Case, CaseEvent, ProcessVersion, User

from .. import get_db, get_runtime
from ..access import load_visible_case, roles_required
from ..catalog import deployed_scenarios
from ..cases import view_model
from ..form_view import posted
from . import bp

# What the window may record for each material; anything else (or nothing)
# means it is missing, and a case is not accepted with a material missing:
# the applicant gets one notice listing everything missing instead.
MATERIAL_STATES = ("received", "deferred", "not_applicable")


@bp.get("")
@roles_required("clerk")
def catalog():
    q = request.args.get("q", "").strip()
    return render_template("window/catalog.html", versions=deployed_scenarios(q), q=q)


@bp.route("/start/<scenario>", methods=["GET", "POST"])
@roles_required("clerk", "reviewer")
def start(scenario: str):
    """?visit=<id>: the intake for a completed on-site visit (上门办), open to
    the two staff who made it, prefilled, and the case the applicant's."""
    visit, applicant = _visit_of_request(scenario)
    if visit is None and current_user.role != "clerk":
        abort(403)
    runtime = get_runtime()
    with get_db().read() as session:
        try:
            version, form = runtime.intake_form(session.connection(), scenario)
        except NotFound:
            abort(404)
    values, errors, status, checked, missing = {}, {}, 200, {}, []
    with get_db().read() as session:
        materials = runtime.compiled_by_version(session.connection(), version.id).metadata.get("materials") or []
    appointment, appointment_applicant = _checked_in_appointment(scenario)
    if appointment is not None and appointment.case_id and request.method == "GET":
        flash(_("该预约已受理。"), "info")
        return redirect(url_for("cases.show", case_id=appointment.case_id))
    applicant = applicant or appointment_applicant
    lookup = request.args.get("applicant", "").strip().upper() or (applicant.applicant_key if applicant else "")
    if current_user.role != "clerk":
        lookup = ""  # earlier cases are the window's to search, not a visiting reviewer's
    earlier = _earlier_cases(lookup) if lookup else []
    if earlier and request.method == "GET":
        values, checked = _reuse(runtime, earlier[0], form, materials)
    if request.method == "GET":
        # Who the applicant is, from the appointment or the visit, over what an earlier case had.
        if appointment is not None:
            values = {**values, **intake_prefill(appointment, applicant, (form.schema.get("properties") or {})
                                                 if form is not None else {})}
        elif visit is not None:
            values = {**values, **visits.intake_prefill(applicant, visit, form)}
    if request.method == "POST":
        raw = posted(request.form)
        checked = {m["key"]: (raw.pop(f"material.{m['key']}", [""]) or [""])[0] for m in materials}
        values, errors = form.coerce(raw) if form is not None else ({}, {})
        if form is not None and not errors:
            errors = form.validate(values)[1]  # shown together with any missing material
        missing = [m for m in materials if checked.get(m["key"]) not in MATERIAL_STATES
                   or (checked[m["key"]] == "deferred" and not m.get("deferrable"))]
        if not errors and not missing:
            try:
                origin = (AppointmentOrigin(appointment.id, scenario) if appointment is not None
                          else visits.VisitOrigin(visit.id, scenario) if visit is not None else None)
                result = runtime.start_case(scenario, values, current_user.id, materials=checked, origin=origin)
            except InvalidData as exc:
                errors = exc.errors
            except CommandError as exc:
                flash(exc.message, "error")
                status = 400
            else:
                if current_user.role == "clerk":
                    return redirect(url_for("window.receipt", case_id=result.case_id))
                flash(_("已受理，办件编号 %(ref)s", ref=result.reference), "info")
                return redirect(url_for("visits.show", visit_id=visit.id))
        status = status if status != 200 else 422
    return render_template("window/start.html", version=version, fields=form.fields() if form else [],
                           values=values, errors=errors, materials=materials, checked=checked,
                           missing=missing, lookup=lookup, earlier=earlier, visit=visit, applicant=applicant,
                           appointment=appointment), status


def _visit_of_request(scenario: str):
    """(visit, applicant) when ?visit= names a completed visit of the
    current user that asked for this scenario; (None, None) without it;
    404 for anything else."""
    if "visit" not in request.args:
        return None, None
    with get_db().read() as session:
        try:
            visit = visits.load_visible(session, current_user, request.args.get("visit", type=int) or 0)
        except visits.VisitNotFound:
            abort(404)
        if not visit.is_assigned(current_user.id) or visit.status != "completed" or scenario not in visit.items:
            abort(404)
        return visit, session.get(User, visit.applicant_id)


def _checked_in_appointment(scenario: str) -> tuple[Appointment | None, User | None]:
    """The appointment named by ?appointment=<id>: checked in at the window
    for this scenario (预约办), else a 404."""
    raw = request.args.get("appointment")
    if raw is None:
        return None, None
    with get_db().read() as session:
        row = session.execute(select(Appointment, User).join(User, User.id == Appointment.applicant_id).where(
            Appointment.id == (int(raw) if raw.isdigit() else -1), Appointment.scenario_key == scenario,
            Appointment.status == "checked_in")).first()
    if row is None:
        abort(404)
    return row[0], row[1]


def _earlier_cases(key: str) -> list[Case]:
    with get_db().read() as session:
        return session.scalars(select(Case).where(Case.applicant_key == key)
                               .order_by(Case.created_at.desc()).limit(10)).all()


def _reuse(runtime, case: Case, form, materials: list[dict]) -> tuple[dict, dict]:
    """Prefill from the applicant's latest case: the fields this form also
    has, and the reusable materials that case received (共享复用)."""
    from engine.runtime.case_data import case_data

    data = case_data(runtime.peek_case(case.id))
    wanted = set((form.schema.get("properties") or {}) if form is not None else ())
    values = {k: v for k, v in data.items() if k in wanted}
    with get_db().read() as session:
        first = session.scalar(select(CaseEvent).where(CaseEvent.case_id == case.id)
                               .order_by(CaseEvent.id).limit(1))
    received = ((first.payload or {}).get("materials") or {}) if first else {}
    checked = {m["key"]: "received" for m in materials
               if m.get("reusable") and received.get(m["key"]) == "received"}
    return values, checked


def _receipt_view(case_id: int):
    with get_db().read() as session:
        case = load_visible_case(session, case_id)
        return view_model.load(get_runtime(), session, case)


@bp.get("/cases/<int:case_id>/receipt")
@roles_required("clerk")
def receipt(case_id: int):
    view = _receipt_view(case_id)
    lang = str(get_locale())
    names = {m["key"]: m["name"].get(lang) or m["name"]["zh"] for m in view.version.meta.get("materials") or []}
    return render_template("window/receipt.html", view=view, material_names=names)


@bp.get("/cases/<int:case_id>/receipt.pdf")
@roles_required("clerk")
def receipt_pdf(case_id: int):
    """The same receipt as a PDF (WeasyPrint; fonts from the system, so
    Chinese needs a CJK font such as Debian's fonts-noto-cjk)."""
    view = _receipt_view(case_id)
    html = render_template("window/receipt_pdf.html", view=view)
    try:
        from weasyprint import HTML
    except (ImportError, OSError):  # OSError: the Pango libraries are missing
        flash(_("此服务器无法生成 PDF，请使用打印功能"), "error")
        return redirect(url_for("window.receipt", case_id=case_id))
    pdf = HTML(string=html, base_url=request.host_url).write_pdf()
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{view.case.reference}.pdf"'})
