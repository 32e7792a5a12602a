"""Thin routes over engine/ratings: every one states its roles; a case or a
rectification the user may not see is a 404."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from engine.ratings import appeals, rectifications, summary
from engine.ratings.recording import AlreadyRated, rate_case
from engine.ratings.rules import RATEABLE_STATUSES, is_bad
from engine.runtime.errors import CommandError, NotFound
from models import Case, RatingAppeal, Rating, Rectification, User

from .. import get_db, get_runtime
from ..access import OVERSIGHT, STAFF, load_visible_case, roles_required
from ..labels import (APPEAL_STATUS_NAMES, FIX_STATE_NAMES, INDICATOR_NAMES, OUTCOME_NAMES, RATING_CHANNEL_NAMES,
                      RATING_LEVEL_NAMES, RECTIFICATION_STATUS_NAMES)
from . import bp
from .forms import AppealForm, CallbackForm, DecisionForm, FixForm, OutcomeForm, rating_form


@bp.context_processor
def labels() -> dict:
    return {"RATING_LEVEL_NAMES": RATING_LEVEL_NAMES, "INDICATOR_NAMES": INDICATOR_NAMES,
            "OUTCOME_NAMES": OUTCOME_NAMES, "RECTIFICATION_STATUS_NAMES": RECTIFICATION_STATUS_NAMES,
            "APPEAL_STATUS_NAMES": APPEAL_STATUS_NAMES, "RATING_CHANNEL_NAMES": RATING_CHANNEL_NAMES,
            "FIX_STATE_NAMES": FIX_STATE_NAMES, "is_bad": is_bad,
            "fix_state": lambda rect: rectifications.fix_state(rect, get_runtime().clock())}


# ------------------------------------------------------------ rating

@bp.route("/my/cases/<int:case_id>/rating", methods=["GET", "POST"])
@roles_required("applicant")
def rate(case_id: int):
    """The applicant's rating of their own delivered case, or, once rated,
    the rating and what the departments did about it."""
    with get_db().read() as session:
        case = session.scalar(select(Case).where(Case.id == case_id, Case.applicant_id == current_user.id))
        if case is None:
            abort(404)
    return _rating_page(case, "online", url_for("ratings.rate", case_id=case.id))


@bp.route("/cases/<int:case_id>/rating/onsite", methods=["GET", "POST"])
@roles_required("clerk")
def rate_onsite(case_id: int):
    """现场服务 "一次一评": the window records the applicant's rating."""
    if current_user.department_code != "CK":
        abort(403)
    with get_db().read() as session:
        case = load_visible_case(session, case_id)
    return _rating_page(case, "onsite", url_for("ratings.rate_onsite", case_id=case.id))


def _rating_page(case: Case, channel: str, here: str):
    with get_db().read() as session:
        rating = session.scalar(select(Rating).where(Rating.case_id == case.id))
        rects = session.scalars(select(Rectification).where(Rectification.case_id == case.id)
                                .order_by(Rectification.department_code)).all() if rating else []
    if rating is not None:
        if request.method == "POST":
            flash(_("该办件已评价，每个办件只能评价一次。"), "error")
            return redirect(here)
        return render_template("ratings/rated.html", case=case, rating=rating, rects=rects)
    if case.status not in RATEABLE_STATUSES:
        flash(_("办结后才能评价。"), "error")
        return redirect(url_for("portal.home") if channel == "online" else url_for("cases.show", case_id=case.id))
    form = rating_form(channel)
    if form.validate_on_submit():
        indicators = {key: form[key].data for key in form.indicator_keys}
        try:
            rate_case(get_db(), case.id, current_user.id, form.score.data, indicators, form.comment.data or "",
                      channel=channel)
        except AlreadyRated:
            flash(_("该办件已评价，每个办件只能评价一次。"), "error")
            return redirect(here)
        except CommandError as exc:
            flash(exc.message, "error")
        else:
            flash(_("感谢您的评价。") + (" " + _("我们已转交办理部门整改，并将在 1 个工作日内回访您。")
                                        if is_bad(form.score.data) else ""), "info")
            return redirect(here)
    return render_template("ratings/rate.html", case=case, form=form, channel=channel), \
        (422 if form.errors else 200)


# ------------------------------------------------------------ rectifications

RECTIFIERS = (*STAFF, *OVERSIGHT)


@bp.get("/rectifications")
@roles_required(*RECTIFIERS)
def rectification_list():
    status = request.args.get("status", "")
    query = (select(Rectification, Case.reference, Rating.score)
             .join(Case, Case.id == Rectification.case_id).join(Rating, Rating.id == Rectification.rating_id)
             .where(rectifications.visible_to(current_user)))
    if status in RECTIFICATION_STATUS_NAMES:
        query = query.where(Rectification.status == status)
    with get_db().read() as session:
        # Open ones first, then logged fixes not yet done, then the rest.
        no_fix_pending = or_(Rectification.outcome != "logged", Rectification.fixed_at.is_not(None))
        rows = session.execute(query.order_by(Rectification.status != "open", no_fix_pending, Rectification.deadline_at,
                                              Rectification.id).limit(500)).all()
        pending = []
        if current_user.role in OVERSIGHT:
            pending = session.execute(
                select(RatingAppeal, Case.reference).join(Rating, Rating.id == RatingAppeal.rating_id)
                .join(Case, Case.id == Rating.case_id).where(RatingAppeal.status == "pending")
                .order_by(RatingAppeal.filed_at)).all()
    return render_template("ratings/rectifications.html", rows=rows, pending=pending, status=status)


@bp.get("/rectifications/<int:rect_id>")
@roles_required(*RECTIFIERS)
def rectification(rect_id: int):
    with get_db().read() as session:
        try:
            rect = rectifications.load_visible(session, rect_id, current_user)
        except NotFound:
            abort(404)
        case = session.get(Case, rect.case_id)
        rating = session.get(Rating, rect.rating_id)
        appeal = session.scalar(select(RatingAppeal).where(RatingAppeal.rectification_id == rect.id))
        names = {u.id: u.display_name for u in session.scalars(select(User).where(User.id.in_(
            [i for i in (rect.callback_by_id, rect.closed_by_id, rect.fixed_by_id, appeal and appeal.filed_by_id,
                         appeal and appeal.decided_by_id) if i])))}
    member = current_user.role in STAFF and current_user.department_code == rect.department_code
    return render_template("ratings/rectification.html", rect=rect, case=case, rating=rating, appeal=appeal,
                           names=names, member=member, callback_form=CallbackForm(), outcome_form=OutcomeForm(),
                           fix_form=FixForm(), appeal_form=AppealForm(), decision_form=DecisionForm())


def _act(rect_id: int, form, action, done: str):
    """Validate the posted form, run the engine action, say how it went."""
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
    else:
        try:
            action()
            flash(done, "info")
        except NotFound:
            abort(404)
        except CommandError as exc:
            flash(exc.message, "error")
    return redirect(url_for("ratings.rectification", rect_id=rect_id))


@bp.post("/rectifications/<int:rect_id>/callback")
@roles_required(*STAFF)
def callback(rect_id: int):
    form = CallbackForm()
    return _act(rect_id, form, lambda: rectifications.record_callback(get_db(), rect_id, current_user.id,
                                                                      form.note.data), _("已记录回访"))


@bp.post("/rectifications/<int:rect_id>/outcome")
@roles_required(*STAFF)
def outcome(rect_id: int):
    form = OutcomeForm()
    return _act(rect_id, form, lambda: rectifications.record_outcome(
        get_db(), rect_id, current_user.id, form.outcome.data, form.note.data, form.due_on.data),
        _("整改已办结，已通知申请人"))


@bp.post("/rectifications/<int:rect_id>/fix")
@roles_required(*STAFF)
def fix(rect_id: int):
    form = FixForm()
    # The application's clock, the one the page judges "overdue" by.
    return _act(rect_id, form, lambda: rectifications.record_fix(get_db(), rect_id, current_user.id, form.note.data,
                                                                 now=get_runtime().clock()),
                _("已记录整改完成，已通知申请人"))


@bp.post("/rectifications/<int:rect_id>/appeal")
@roles_required(*STAFF)
def appeal(rect_id: int):
    form = AppealForm()
    return _act(rect_id, form, lambda: appeals.file_appeal(get_db(), rect_id, current_user.id, form.reason.data),
                _("申诉已提交，等待督查复核"))


@bp.post("/appeals/<int:appeal_id>/decide")
@roles_required(*OVERSIGHT)
def decide(appeal_id: int):
    with get_db().read() as session:
        rect_id = session.scalar(select(RatingAppeal.rectification_id).where(RatingAppeal.id == appeal_id))
    if rect_id is None:
        abort(404)
    form = DecisionForm()
    return _act(rect_id, form, lambda: appeals.decide_appeal(get_db(), appeal_id, current_user.id,
                                                             form.decision.data == "grant", form.note.data or ""),
                _("复核结论已记录"))


@bp.get("/ratings/summary")
@roles_required(*OVERSIGHT)
def ratings_summary():
    with get_db().read() as session:
        rows = summary.by_department(session)
    return render_template("ratings/summary.html", rows=rows)
