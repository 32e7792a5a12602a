from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from models import NOTICE_AUDIENCES

from .display import NOTICE_AUDIENCE_NAMES


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token (sign)."""


class AnswerForm(FlaskForm):
    answer = TextAreaField(_l("答复内容"), validators=[DataRequired(), Length(max=5000)])
    submit = SubmitField(_l("答复"))


class DepartmentForm(FlaskForm):
    """Dispatch (the window) or transfer (the department, with a reason)."""
    department = SelectField(_l("负责部门"), validators=[DataRequired()])
    reason = StringField(_l("转办原因"), validators=[Length(max=500)])
    submit = SubmitField(_l("提交"))


class NoticeForm(FlaskForm):
    title = StringField(_l("标题"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l("正文"), validators=[DataRequired(), Length(max=20000)])
    audience = RadioField(_l("通知对象"), choices=[(a, _l(NOTICE_AUDIENCE_NAMES[a])) for a in NOTICE_AUDIENCES],
                          default="industries", validators=[DataRequired()])
    industries = SelectMultipleField(_l("行业"), choices=[], widget=ListWidget(prefix_label=False),
                                     option_widget=CheckboxInput(), validate_choice=False)
    submit = SubmitField(_l("发布"))
