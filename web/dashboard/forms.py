from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SubmitField
from wtforms.validators import InputRequired, NumberRange


class WeightsForm(FlaskForm):
    on_time = IntegerField(_l("按时办结率权重（%）"), validators=[InputRequired(), NumberRange(0, 100)])
    speed = IntegerField(_l("办理速度权重（%）"), validators=[InputRequired(), NumberRange(0, 100)])
    ratings = IntegerField(_l("群众评价权重（%）"), validators=[InputRequired(), NumberRange(0, 100)])
    submit = SubmitField(_l("保存权重"))
