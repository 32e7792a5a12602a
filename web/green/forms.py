from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..labels import PROJECT_LEVEL_NAMES


class KeyProjectForm(FlaskForm):
    name = StringField(_l("项目名称"), validators=[DataRequired(), Length(max=200)])
    level = RadioField(_l("项目级别"), choices=[(k, _l(v)) for k, v in PROJECT_LEVEL_NAMES.items()],
                       default="district", validators=[InputRequired()])
    applicant_key = StringField(_l("申请人统一社会信用代码或身份证号码"), validators=[DataRequired(), Length(max=32)])
    steward_id = SelectField(_l("项目管家"), coerce=int, validators=[InputRequired()])
    note = TextAreaField(_l("备注（选填）"), validators=[Optional(), Length(max=2000)])
    active = BooleanField(_l("有效（在列表中）"), default=True)
    submit = SubmitField(_l("保存"))
