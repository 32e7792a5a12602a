from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from engine.ratings.rules import INDICATORS_BY_CHANNEL, MAX_COMMENT

from ..labels import INDICATOR_NAMES, OUTCOME_NAMES, RATING_LEVEL_NAMES

STARS = [(n, _l(RATING_LEVEL_NAMES[n])) for n in (5, 4, 3, 2, 1)]
REQUIRED = _l("请选择 1 至 5 星")


def rating_form(channel: str, *args, **kwargs) -> FlaskForm:
    """The rating form of a channel: 整体满意度 and that channel's national
    indicators, each 1-5 stars, and a comment."""
    class RatingForm(FlaskForm):
        score = RadioField(_l("整体满意度"), choices=STARS, coerce=int, validators=[InputRequired(REQUIRED)])
        comment = TextAreaField(_l("评价内容（选填）"), validators=[Optional(), Length(max=MAX_COMMENT)])
        submit = SubmitField(_l("提交评价"))

    for key in INDICATORS_BY_CHANNEL[channel]:
        setattr(RatingForm, key, RadioField(_l(INDICATOR_NAMES[key]), choices=STARS, coerce=int,
                                            validators=[InputRequired(REQUIRED)]))
    form = RatingForm(*args, **kwargs)
    form.indicator_keys = list(INDICATORS_BY_CHANNEL[channel])
    return form


class CallbackForm(FlaskForm):
    note = TextAreaField(_l("回访情况（回访对象、方式、沟通内容）"), validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("记录回访"))


class OutcomeForm(FlaskForm):
    outcome = RadioField(_l("整改结果"), choices=[(k, _l(v)) for k, v in OUTCOME_NAMES.items()],
                         validators=[InputRequired(_l("请选择整改结果"))])
    due_on = DateField(_l("整改期限（建立台账时填写）"), validators=[Optional()])
    note = TextAreaField(_l("整改情况说明"), validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("办结整改"))


class FixForm(FlaskForm):
    note = TextAreaField(_l("整改完成情况（做了什么、何时完成）"), validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("记录整改完成"))


class AppealForm(FlaskForm):
    reason = TextAreaField(_l("申诉理由（误评或恶意差评的事实依据）"), validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("提交申诉"))


class DecisionForm(FlaskForm):
    decision = RadioField(_l("复核结论"), choices=[("uphold", _l("维持原评价")),
                                                 ("grant", _l("申诉成立，该评价不计入考核"))],
                          validators=[InputRequired(_l("请选择复核结论"))])
    note = TextAreaField(_l("复核意见"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("提交复核结论"))
