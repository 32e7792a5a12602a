"""Thin routes over engine/visits: each command is one transaction; a
request the user may not see is a 404 (never a 403 that confirms it)."""
from __future__ import annotations

from datetime import timezone

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user
from sqlalchemy import select

from engine import visits
from engine.file_store import UploadRefused
from engine.workcalendar import BEIJING
from models import Case, StoredFile, User, VisitRequest

from .. import get_db, get_files, get_runtime
from ..access import roles_required
from ..files.routes import send_stored
from . import bp
from .forms import AssignForm, CancelForm, MailForm, RecordForm, VisitRequestForm
from .labels import PERIOD_NAMES, REASON_NAMES, RESULT_NAMES, VISIT_STATUS_NAMES

STAFF_SIDE = ("clerk", "reviewer", "supervisor", "admin")


@bp.context_processor
def names():
    return {"REASON_NAMES": REASON_NAMES, "PERIOD_NAMES": PERIOD_NAMES, "VISIT_STATUS_NAMES": VISIT_STATUS_NAMES,
            "RESULT_NAMES": RESULT_NAMES}


def _pick(zh: str, en: str) -> str:
    return en if str(get_locale()) == "en" else zh


def _say(exc) -> str:
    return _pick(exc.zh, exc.en)


def _now():
    return get_runtime().clock()


def _utc(local):
    """A datetime-local from the form, read as Beijing time."""
    return local.replace(tzinfo=BEIJING).astimezone(timezone.utc)


def _load(session, visit_id: int, lock: bool = False) -> VisitRequest:
    try:
        return visits.load_visible(session, current_user, visit_id, lock=lock)
    except visits.VisitNotFound:
        abort(404)


def _run(command, done: str, back: str):
    """One visit command in one transaction, as the signed-in user: the
    reason shown when refused, a 404 for a request one may not see."""
    try:
        with get_db().write() as session:
            command(session, session.get(User, current_user.id))
    except visits.VisitNotFound:
        abort(404)
    except visits.VisitRefused as exc:
        flash(_say(exc), "error")
    else:
        flash(done, "info")
    return redirect(back)


def _item_names(session) -> dict[str, str]:
    en = str(get_locale()) == "en"
    return {v.scenario_key: (v.name_en if en else v.name_zh) for v in visits.offered_items(session)}


def _people(session, visit: VisitRequest) -> dict[int, User]:
    ids = {visit.applicant_id, visit.staff1_id, visit.staff2_id} - {None}
    return {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))}


def _detail(session, visit: VisitRequest) -> dict:
    cases = session.scalars(select(Case).where(Case.id.in_(visit.case_ids or [0]))).all()
    return {"visit": visit, "records": visits.records_of(session, visit.id), "people": _people(session, visit),
            "item_names": _item_names(session), "cases": cases}


# ------------------------------------------------------------ the applicant


@bp.get("/my/visits")
@roles_required("applicant")
def mine():
    with get_db().read() as session:
        rows = session.scalars(select(VisitRequest).where(VisitRequest.applicant_id == current_user.id)
                               .order_by(VisitRequest.id.desc()).limit(200)).all()
        names = _item_names(session)
    return render_template("visits/mine.html", rows=rows, item_names=names)


@bp.route("/my/visits/new", methods=["GET", "POST"])
@roles_required("applicant")
def new():
    form = VisitRequestForm()
    with get_db().read() as session:
        form.items.choices = list(_item_names(session).items())
        me = session.get(User, current_user.id)
    if request.method == "GET":
        form.contact_name.data, form.contact_phone.data = me.display_name, me.phone
        form.reason.data = "key_company" if me.is_company else "elderly"
    status = 200
    if form.validate_on_submit():
        data = visits.RequestInput(
            reason=form.reason.data, address=form.address.data, district=form.district.data or "",
            latitude=form.latitude.data, longitude=form.longitude.data, contact_name=form.contact_name.data,
            contact_phone=form.contact_phone.data, items=form.items.data or [],
            preferred_date=form.preferred_date.data, preferred_period=form.preferred_period.data,
            notes=form.notes.data or "")
        try:
            with get_db().write() as session:
                applicant = session.get(User, current_user.id)
                visit_id = visits.create_request(session, applicant, data, _now()).id
        except visits.VisitInvalid as exc:
            for name, message in exc.errors.items():
                getattr(form, name).errors.append(_pick(*message))
        else:
            flash(_("上门服务申请已提交，安排好后会短信通知您。"), "info")
            return redirect(url_for("visits.my_show", visit_id=visit_id))
    if request.method == "POST":
        status = 422
    return render_template("visits/new.html", form=form), status


@bp.get("/my/visits/<int:visit_id>")
@roles_required("applicant")
def my_show(visit_id: int):
    with get_db().read() as session:
        context = _detail(session, _load(session, visit_id))
    return render_template("visits/show.html", cancel_form=CancelForm(), **context)


@bp.post("/my/visits/<int:visit_id>/cancel")
@roles_required("applicant")
def cancel(visit_id: int):
    form = CancelForm()
    if not form.validate_on_submit():
        abort(400)
    return _run(lambda session, me: visits.cancel_request(session, me, visit_id, form.reason.data or "", _now()),
                _("已取消上门服务申请"), url_for("visits.my_show", visit_id=visit_id))


# ------------------------------------------------------------ supervisor and staff


@bp.get("/visits")
@roles_required(*STAFF_SIDE)
def index():
    status = request.args.get("status", "")
    query = select(VisitRequest).where(visits.visible_visit_filter(current_user))
    if status in VISIT_STATUS_NAMES:
        query = query.where(VisitRequest.status == status)
    with get_db().read() as session:
        rows = session.scalars(query.order_by(VisitRequest.preferred_date, VisitRequest.id).limit(300)).all()
        names = _item_names(session)
    return render_template("visits/index.html", rows=rows, item_names=names, status=status)


@bp.get("/visits/<int:visit_id>")
@roles_required(*STAFF_SIDE)
def show(visit_id: int):
    with get_db().read() as session:
        visit = _load(session, visit_id)
        context = _detail(session, visit)
        assign_form = None
        if current_user.role in ("supervisor", "admin"):
            assign_form = AssignForm()
            staff = visits.eligible_staff(session, visit)
            choices = [(u.id, f"{u.display_name}（{u.department_code}）") for u in staff]
            assign_form.staff1.choices = assign_form.staff2.choices = choices
    return render_template("visits/show.html", assign_form=assign_form, mail_form=MailForm(), **context)


@bp.post("/visits/<int:visit_id>/assign")
@roles_required("supervisor", "admin")
def assign(visit_id: int):
    form = AssignForm()
    if not form.validate_on_submit():
        flash(_("请填写上门时间并选择两名人员"), "error")
        return redirect(url_for("visits.show", visit_id=visit_id))
    staff, when = [form.staff1.data, form.staff2.data], _utc(form.scheduled_at.data)
    return _run(lambda session, me: visits.assign(session, me, visit_id, staff, when, _now()),
                _("已指派上门人员，申请人和上门人员均已收到通知"), url_for("visits.show", visit_id=visit_id))


@bp.route("/visits/<int:visit_id>/record", methods=["GET", "POST"])
@roles_required("clerk", "reviewer")
def record(visit_id: int):
    with get_db().read() as session:
        visit = _load(session, visit_id)
    form = RecordForm()
    if request.method == "GET":
        form.arrived_at.data = _now().astimezone(BEIJING).replace(tzinfo=None, second=0, microsecond=0)
    status = 200
    if form.validate_on_submit():
        try:
            photos = [get_files().save(f.stream, f.filename) for f in form.photos.data or [] if f and f.filename]
            with get_db().write() as session:
                visits.record_visit(session, session.get(User, current_user.id), visit_id,
                                    arrived_at=_utc(form.arrived_at.data), result=form.result.data,
                                    notes=form.notes.data or "", materials=(form.materials.data or "").splitlines(),
                                    photos=photos, files=get_files(), now=_now())
        except UploadRefused as exc:
            form.photos.errors.append(_say(exc))
        except visits.VisitNotFound:
            abort(404)
        except visits.VisitRefused as exc:
            flash(_say(exc), "error")
        else:
            flash(_("已登记上门情况"), "info")
            return redirect(url_for("visits.show", visit_id=visit_id))
    if request.method == "POST":
        status = 422
    return render_template("visits/record.html", visit=visit, form=form), status


@bp.post("/visits/<int:visit_id>/mail")
@roles_required(*STAFF_SIDE)
def mail(visit_id: int):
    with get_db().read() as session:
        _load(session, visit_id)  # a request one may not see is a 404 whatever was posted
    form = MailForm()
    if not form.validate_on_submit():
        flash(_("请填写 EMS 单号"), "error")
        return redirect(url_for("visits.show", visit_id=visit_id))
    return _run(lambda session, me: visits.record_mailing(session, me, visit_id, form.tracking_no.data, _now()),
                _("已登记寄送，申请人已收到短信"), url_for("visits.show", visit_id=visit_id))


@bp.get("/visits/<int:visit_id>/photos/<int:file_id>")
@bp.get("/my/visits/<int:visit_id>/photos/<int:file_id>", endpoint="my_photo")
@roles_required(*STAFF_SIDE, "applicant")
def photo(visit_id: int, file_id: int):
    """A visit's photo for whoever may see the visit (also before the case
    it belongs to exists)."""
    with get_db().read() as session:
        _load(session, visit_id)
        if not any(file_id in (r.photo_ids or []) for r in visits.records_of(session, visit_id)):
            abort(404)
        row = session.get(StoredFile, file_id)
        session.expunge(row)
    return send_stored(row)

