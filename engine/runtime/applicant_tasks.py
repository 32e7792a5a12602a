"""Tasks the case's own applicant may complete online (UserTaskInfo.applicant,
the correction supply): when one becomes ready, the applicant is told, in the
command's own transaction, whichever route or job completed the step before
it (the window's notice page, the API, a simulation). Hooked into the
runtime's persist step so that no caller can forget it."""
from __future__ import annotations

from datetime import datetime

from ..notifications import notify
from .store import CaseRecord, ItemRecord

STATUS_PAGE = "/my/cases/{case_id}"


def announce_new(conn, case: CaseRecord, ready: dict, compiled, existing: dict[str, ItemRecord],
                 now: datetime) -> int:
    if case.applicant_id is None:
        return 0
    sent = 0
    for task_id, task in ready.items():
        if task_id in existing:
            continue
        info = compiled.task_info(task.task_spec)
        if not info.applicant:
            continue
        # What the notice before it asked for (the correction notice's
        # `items`), so the SMS itself says what to bring.
        asked = [str(i) for i in (task.data.get("items") or []) if i] if isinstance(task.data.get("items"), list) else []
        body = f"办件 {case.reference}：{info.title}。" + (("需补正：" + "；".join(asked) + "。") if asked else "") \
            + "请登录一窗通办“我的办件”在线办理。"
        notify(conn, case.applicant_id, "applicant_task", f"请办理：{info.title}（{case.reference}）", body,
               STATUS_PAGE.format(case_id=case.id), channels=("sms",), now=now)
        sent += 1
    return sent
