"""Applicant self-registration (申请人注册): a person with a checked ID card
number, or a company with a checked unified social credit code and the
authorised agent who acts for it. The login name is the ID card number or
the credit code; one account per number."""
from flask import flash, redirect, render_template, url_for
from flask_babel import get_locale, gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user
from flask_wtf import FlaskForm
from sqlalchemy import and_, or_, select
from werkzeug.security import generate_password_hash
from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from engine.identity import is_valid_id_card, is_valid_mobile, is_valid_uscc
from engine.industries import INDUSTRIES
from models import User

from .. import get_db
from ..extensions import limiter
from . import bp
from .session_user import SessionUser


def _id_card(form, field):
    field.data = (field.data or "").strip().upper()
    if not is_valid_id_card(field.data):
        raise ValidationError(_l("身份证号码无效（18 位，校验位不符）"))


def _mobile(form, field):
    field.data = (field.data or "").strip()
    if not is_valid_mobile(field.data):
        raise ValidationError(_l("手机号码无效"))


class RegisterForm(FlaskForm):
    kind = RadioField(_l("申请人类型"), choices=[("person", _l("个人")), ("company", _l("企业（经办人代办）"))],
                      default="person", validators=[DataRequired()])
    name = StringField(_l("姓名（企业为经办人姓名）"), validators=[DataRequired(), Length(max=60)])
    id_number = StringField(_l("身份证号码（企业为经办人身份证号码）"), validators=[DataRequired(), _id_card])
    company_name = StringField(_l("企业名称"), validators=[Length(max=200)])
    uscc = StringField(_l("统一社会信用代码"))
    industry = SelectField(_l("所属行业"), choices=[], validate_choice=False)
    authorised = BooleanField(_l("本人已获企业授权代为办理"))
    phone = StringField(_l("手机号码"), validators=[DataRequired(), _mobile])
    email = EmailField(_l("电子邮箱（选填）"), validators=[Optional(), Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("电子邮箱格式无效")), Length(max=254)])
    password = PasswordField(_l("密码（至少 10 位）"), validators=[DataRequired(), Length(min=10, max=128)])
    confirm = PasswordField(_l("确认密码"), validators=[DataRequired(), EqualTo("password", _l("两次输入的密码不一致"))])
    submit = SubmitField(_l("注册"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        english = str(get_locale()) == "en"
        self.industry.choices = [("", "—")] + [(code, en if english else zh) for code, (zh, en) in INDUSTRIES.items()]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.kind.data != "company":
            return ok
        self.uscc.data = (self.uscc.data or "").strip().upper()
        if not (self.company_name.data or "").strip():
            self.company_name.errors.append(_l("请填写企业名称"))
            ok = False
        if self.industry.data not in INDUSTRIES:
            self.industry.errors.append(_l("请选择所属行业"))
            ok = False
        if not is_valid_uscc(self.uscc.data):
            self.uscc.errors.append(_l("统一社会信用代码无效（18 位，校验位不符）"))
            ok = False
        if not self.authorised.data:
            self.authorised.errors.append(_l("经办人须获企业授权"))
            ok = False
        return ok


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        company = form.kind.data == "company"
        username = form.uscc.data if company else form.id_number.data
        with get_db().write() as session:
            same = (User.uscc == username) if company else and_(User.id_number == username, User.uscc == "")
            taken = session.scalar(select(User.id).where(or_(User.username == username, same)).limit(1))
            if taken is None:
                user = User(username=username, role="applicant", password_hash=generate_password_hash(form.password.data),
                            display_name=(f"{form.name.data.strip()}（{form.company_name.data.strip()} 经办人）"
                                          if company else form.name.data.strip())[:100],
                            id_number=form.id_number.data, phone=form.phone.data, email=(form.email.data or "").strip(),
                            uscc=form.uscc.data if company else "",
                            company_name=form.company_name.data.strip() if company else "",
                            industry=form.industry.data if company else "")
                session.add(user)
                session.flush()
                snapshot = SessionUser.of(user)
        if taken is not None:
            flash(_("该证件号码已注册，请直接登录"), "error")
            return render_template("auth/register.html", form=form), 409
        login_user(snapshot)
        flash(_("注册成功。您的登录名是 %(username)s", username=username), "info")
        return redirect(url_for("portal.home"))
    return render_template("auth/register.html", form=form), (422 if form.errors else 200)
