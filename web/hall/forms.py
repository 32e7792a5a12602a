from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, SelectMultipleField, TimeField
from wtforms.validators import DataRequired, Optional

from models.hall_session import SESSION_KINDS

from ..labels import CATEGORY_NAMES, SESSION_KIND_NAMES, WEEKDAY_NAMES

BOOKABLE_CATEGORIES = [c for c in CATEGORY_NAMES if c != "shared_block"]


class SessionForm(FlaskForm):
    """A weekly session (a weekday) or a one-off date (a session, or a closure)."""

    kind = SelectField(_l("服务时段"), choices=[(k, _l(SESSION_KIND_NAMES[k])) for k in SESSION_KINDS])
    weekday = SelectField(_l("每周"), choices=[("", "—")] + [(str(i), _l(n)) for i, n in enumerate(WEEKDAY_NAMES)],
                          default="")
    on_date = DateField(_l("或指定日期"), validators=[Optional()])
    starts = TimeField(_l("开始"), validators=[Optional()])
    ends = TimeField(_l("结束"), validators=[Optional()])
    categories = SelectMultipleField(_l("可办事项类别（不选为全部）"),
                                     choices=[(c, _l(CATEGORY_NAMES[c])) for c in BOOKABLE_CATEGORIES])
    closed = BooleanField(_l("当日闭厅"))

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if bool(self.weekday.data) == bool(self.on_date.data):
            self.weekday.errors.append(_l("请选择每周的某一天，或指定一个日期（二选一）"))
            return False
        if self.closed.data:
            if not self.on_date.data:
                self.closed.errors.append(_l("闭厅只能针对指定日期"))
                return False
            return True
        if not self.starts.data or not self.ends.data or self.starts.data >= self.ends.data:
            self.ends.errors.append(_l("结束时间须晚于开始时间"))
            return False
        return True


class GenerateForm(FlaskForm):
    first = DateField(_l("从"), validators=[DataRequired()])
    last = DateField(_l("到"), validators=[DataRequired()])


class ActionForm(FlaskForm):
    """A button that only needs its CSRF token."""
