"""What applicants and clerks read when a booking command is refused, by
the engine's stable error code (engine/appointments/errors.py)."""
from flask_babel import gettext as _

from engine.appointments.rules import BOOKING_HORIZON_DAYS
from engine.workcalendar import BEIJING


def booking_message(exc) -> str:
    code = getattr(exc, "code", "")
    if code == "blocked":
        return blocked_message(exc.details["until"])
    messages = {
        "slot_full": lambda: _("该时段刚刚约满，请选择其他时段。"),
        "slot_past": lambda: _("该时段已经开始，请选择其他时段。"),
        "too_far": lambda: _("只能预约 %(days)s 天以内的时段。", days=BOOKING_HORIZON_DAYS),
        "wrong_category": lambda: _("该时段不办理此类事项，请重新选择。"),
        "already_booked": lambda: _("您已预约该事项；如需换时间，请改约。"),
        "not_changeable": lambda: _("该预约已不能取消或改约。"),
        "same_slot": lambda: _("这就是您已预约的时段。"),
        "not_checkable": lambda: _("该预约不能签到。"),
        "not_today": lambda: _("只能在预约当天签到。"),
    }
    return messages.get(code, lambda: _("操作未能完成，请重试。"))()


def blocked_message(until) -> str:
    return _("您近期多次预约后未到场，%(until)s 前不能在网上预约。您仍可到大厅现场取号，或拨打 12345 预约。",
             until=until.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M"))
