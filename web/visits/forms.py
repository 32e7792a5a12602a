from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import DateField, DateTimeLocalField, FloatField, SelectField, SelectMultipleField, StringField, \
    TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from .labels import PERIOD_NAMES, REASON_NAMES, RESULT_NAMES


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class VisitRequestForm(FlaskForm):
    reason = SelectField(_l("上门原因"), choices=[(k, _l(v)) for k, v in REASON_NAMES.items()],
                         validators=[DataRequired()])
    address = StringField(_l("上门地址"), validators=[DataRequired(), Length(max=300)])
    district = StringField(_l("所在街道/社区"), validators=[Optional(), Length(max=64)])
    latitude = FloatField(_l("纬度（选填）"), validators=[Optional(), NumberRange(-90, 90)])
    longitude = FloatField(_l("经度（选填）"), validators=[Optional(), NumberRange(-180, 180)])
    contact_name = StringField(_l("联系人"), validators=[DataRequired(), Length(max=100)])
    contact_phone = StringField(_l("联系电话（手机）"), validators=[DataRequired(), Length(max=20)])
    items = CheckboxList(_l("要办理的事项"), choices=[], validate_choice=False)
    preferred_date = DateField(_l("期望上门日期"), validators=[DataRequired()])
    preferred_period = SelectField(_l("期望时段"), choices=[(k, _l(v)) for k, v in PERIOD_NAMES.items()])
    notes = TextAreaField(_l("说明（选填）"), validators=[Optional(), Length(max=2000)])


class CancelForm(FlaskForm):
    reason = StringField(_l("取消原因（选填）"), validators=[Optional(), Length(max=500)])


class AssignForm(FlaskForm):
    staff1 = SelectField(_l("上门人员一"), coerce=int, choices=[], validate_choice=False)
    staff2 = SelectField(_l("上门人员二"), coerce=int, choices=[], validate_choice=False)
    scheduled_at = DateTimeLocalField(_l("上门时间"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()])


class RecordForm(FlaskForm):
    arrived_at = DateTimeLocalField(_l("到达时间"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()])
    result = SelectField(_l("上门结果"), choices=[(k, _l(v)) for k, v in RESULT_NAMES.items()])
    notes = TextAreaField(_l("办理情况"), validators=[Optional(), Length(max=4000)])
    materials = TextAreaField(_l("收取的材料（每行一项）"), validators=[Optional(), Length(max=4000)])
    photos = MultipleFileField(_l("现场照片（JPG/PNG，可多选）"))


class MailForm(FlaskForm):
    tracking_no = StringField(_l("EMS 单号"), validators=[DataRequired(), Length(max=32)])
