from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from models import REQUEST_KINDS

from ..enterprise.display import RATING_NAMES, REQUEST_KIND_NAMES


class RequestForm(FlaskForm):
    kind = RadioField(_l("诉求类型"), choices=[(k, _l(REQUEST_KIND_NAMES[k])) for k in REQUEST_KINDS],
                      validators=[DataRequired(message=_l("请选择诉求类型"))])
    subject = StringField(_l("标题"), validators=[DataRequired(message=_l("请填写标题")), Length(max=200)])
    description = TextAreaField(_l("诉求内容"), validators=[DataRequired(message=_l("请填写诉求内容")),
                                                           Length(max=5000)])
    department = SelectField(_l("负责部门"), choices=[], validate_choice=False)
    case_reference = StringField(_l("相关办件编号（选填）"), validators=[Optional(), Length(max=32)])
    submit = SubmitField(_l("提交诉求"))


class RateForm(FlaskForm):
    stars = RadioField(_l("评价"), coerce=int, choices=[(n, _l(RATING_NAMES[n])) for n in (5, 4, 3, 2, 1)],
                       validators=[DataRequired(message=_l("请选择评价"))])
    comment = TextAreaField(_l("意见（选填）"), validators=[Length(max=1000)])
    submit = SubmitField(_l("提交评价"))


class ReopenForm(FlaskForm):
    reason = TextAreaField(_l("不满意的原因"), validators=[DataRequired(message=_l("请说明不满意的原因")),
                                                         Length(max=1000)])
    submit = SubmitField(_l("不满意，请求重新办理"))
