from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField
from wtforms.validators import DataRequired, Length, NumberRange


class SlotForm(FlaskForm):
    """Choosing a slot: to book (with the service) or to move an appointment."""

    slot_id = IntegerField(validators=[DataRequired(), NumberRange(min=1)])
    scenario = HiddenField(validators=[Length(max=64)])


class ActionForm(FlaskForm):
    """A button that only needs its CSRF token (cancel)."""
