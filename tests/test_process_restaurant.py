"""开办餐馆 walked through every gateway outcome, through the real runtime and
database, restoring the case from the database before every step."""
from __future__ import annotations

from datetime import datetime

from engine.workcalendar import BEIJING
from tests.walk import COMPANY_SETUP_PARALLEL, finish_company_setup, on_clock, serve_correction, start



def test_new_company_large_premises_with_sign_all_approved(runtime, intake):
    walk = start(runtime, intake)  # no company yet, 180 m², a sign, sewer discharge
    assert walk.last.status == "running"
    assert walk.last.reference.startswith("JH-")
    finish_company_setup(walk)
    assert walk.open_tasks() == {"Task_FoodReview", "Task_OnsiteInspection:fire", "Task_Env",
                                 "Task_OnsiteInspection:drainage", "Task_Sign"}
    departments = {walk.label(i): i.department_code for i in walk.open_items()}
    assert departments == {"Task_FoodReview": "SJ", "Task_OnsiteInspection:fire": "XF", "Task_Env": "HB",
                           "Task_OnsiteInspection:drainage": "SWJ", "Task_Sign": "CG"}
    walk.complete("Task_FoodReview", decision="approve")
    assert "Task_OnsiteInspection:food" in walk.open_tasks()
    walk.complete("Task_OnsiteInspection:food", decision="approve", mode="on_site")
    for task in ("Task_OnsiteInspection:fire", "Task_Env", "Task_OnsiteInspection:drainage", "Task_Sign"):
        walk.complete(task, decision="approve", mode="on_site")
    assert walk.open_tasks() == {"Task_Delivery"}
    result = walk.complete("Task_Delivery", method="window")
    assert result.status == "completed"
    assert walk.open_tasks() == set()
    data = walk.data()
    assert data["outcome"] == "approved"
    assert {k: v["decision"] for k, v in data["approvals"].items()
            if k in ("food", "fire", "env", "drainage", "sign")} == dict.fromkeys(
        ("food", "fire", "env", "drainage", "sign"), "approve")
    # Each department's data sits under its own key, stamped with who decided.
    assert data["approvals"]["fire"]["department"] == "XF"
    assert data["approvals"]["fire"]["by"] == "rev_xf"


def test_existing_company_small_premises_no_sign(runtime, intake):
    walk = start(runtime, intake, has_company=True, uscc="91420103MA4KXXXX0Q", area_m2=40,
                 has_sign=False, discharge_to_sewer=False, remote_inspection=False)
    if "Task_Registration" in walk.open_tasks():
        raise AssertionError("an existing company must skip the company set-up block")
    # fire only from 50 m²; no sign; no sewer discharge -> no drainage permit
    assert walk.open_tasks() == {"Task_FoodReview", "Task_Env"}
    walk.complete("Task_FoodReview", decision="approve")
    walk.complete("Task_OnsiteInspection:food", decision="approve", mode="on_site")
    walk.complete("Task_Env", decision="approve")
    assert walk.open_tasks() == {"Task_Delivery"}
    assert walk.complete("Task_Delivery", method="ems").status == "completed"


def test_correction_round_reruns_only_the_departments_not_yet_approved(runtime, intake):
    walk = start(runtime, intake, has_company=True, uscc="91420103MA4KXXXX0Q", has_sign=False)
    assert walk.open_tasks() == {"Task_FoodReview", "Task_OnsiteInspection:fire", "Task_Env",
                                 "Task_OnsiteInspection:drainage"}
    walk.complete("Task_FoodReview", decision="correct", reason="缺少食品安全管理制度")
    walk.complete("Task_OnsiteInspection:fire", decision="approve", mode="on_site")
    walk.complete("Task_Env", decision="approve")
    walk.complete("Task_OnsiteInspection:drainage", decision="correct", mode="on_site", reason="隔油池容量不足")
    assert walk.open_tasks() == {"Task_CorrectionNotice"}
    data = walk.data()
    assert data["outcome"] == "correction"
    serve_correction(walk)
    # Fire and environment approved in round one: not asked again.
    assert walk.open_tasks() == {"Task_FoodReview", "Task_OnsiteInspection:drainage"}
    walk.complete("Task_FoodReview", decision="approve")
    walk.complete("Task_OnsiteInspection:food", decision="approve", mode="on_site")
    walk.complete("Task_OnsiteInspection:drainage", decision="approve", mode="on_site")
    assert walk.open_tasks() == {"Task_Delivery"}
    assert walk.complete("Task_Delivery", method="window").status == "completed"


def test_on_site_inspection_failure_asks_for_correction(runtime, intake):
    walk = start(runtime, intake, has_company=True, uscc="91420103MA4KXXXX0Q", area_m2=30,
                 has_sign=False, discharge_to_sewer=False, remote_inspection=False)
    walk.complete("Task_Env", decision="approve")
    walk.complete("Task_FoodReview", decision="approve")
    walk.complete("Task_OnsiteInspection:food", decision="correct", mode="on_site", reason="后厨布局不符合要求")
    serve_correction(walk)
    assert walk.open_tasks() == {"Task_FoodReview"}


def test_rejection_by_one_department_ends_the_case_rejected(runtime, intake):
    walk = start(runtime, intake, has_company=True, uscc="91420103MA4KXXXX0Q", has_sign=False,
                 discharge_to_sewer=False)
    walk.complete("Task_OnsiteInspection:fire", decision="reject", mode="on_site", reason="疏散通道不符合规范")
    walk.complete("Task_Env", decision="approve")
    walk.complete("Task_FoodReview", decision="approve")
    walk.complete("Task_OnsiteInspection:food", decision="approve", mode="on_site")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    result = walk.complete("Task_RejectionNotice", method="window")
    assert result.status == "rejected"


def test_registration_refused_ends_the_case(runtime, intake):
    walk = start(runtime, intake)
    walk.complete("Task_Registration", decision="reject", reason="名称与已登记企业相同")
    assert "Task_Seal" not in walk.open_tasks()
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_registration_correction_loops_inside_the_block(runtime, intake):
    walk = start(runtime, intake)
    walk.complete("Task_Registration", decision="correct", reason="章程缺少签字")
    assert walk.open_tasks() == {"Task_RegistrationCorrection"}
    walk.complete("Task_RegistrationCorrection", complete=True)
    assert walk.open_tasks() == {"Task_Registration"}
    walk.complete("Task_Registration", decision="approve")
    assert walk.open_tasks() == COMPANY_SETUP_PARALLEL


def test_small_premises_with_remote_inspection_use_the_video_block(runtime, intake):
    """远程勘验: asked for at intake and allowed for food premises up to 150 m²;
    a rectify result waits out the rectification period (a timer in working
    days), then loops to a re-check inside the block."""
    walk = start(on_clock(runtime), intake, has_company=True, uscc="91420103MA4KXXXX0Q", area_m2=120, has_sign=False,
                 discharge_to_sewer=False, remote_inspection=True)
    walk.complete("Task_Env", decision="approve")
    walk.complete("Task_OnsiteInspection:fire", decision="approve", mode="on_site")
    walk.complete("Task_FoodReview", decision="approve")
    assert walk.open_tasks() == {"Task_VideoBooking:food"}
    checklist = dict.fromkeys(("premises", "facilities", "hygiene", "safety", "records"), "pass")
    walk.complete("Task_VideoBooking:food")
    walk.complete("Task_VideoInspection:food", conclusion="rectify", recording_sha256="0f" * 32,
                  checklist={**checklist, "facilities": "rectify"}, rectification_working_days=10)
    assert walk.open_tasks() == set()
    assert walk.data()["approvals"]["food"]["rectification_deadline"] == "2026-03-16"
    # 10 working days after Monday 2026-03-02: Monday 2026-03-16, at the end of the day.
    assert walk.wait_for_timer() == datetime(2026, 3, 16, 18, 0, tzinfo=BEIJING)
    assert walk.open_tasks() == {"Task_VideoBooking:food"}
    walk.complete("Task_VideoBooking:food")
    walk.complete("Task_VideoInspection:food", conclusion="pass", recording_sha256="1e" * 32,
                  checklist=checklist, licence_no="JY14201030099")
    assert walk.open_tasks() == {"Task_Delivery"}
    assert walk.complete("Task_Delivery", method="window").status == "completed"
    data = walk.data()
    assert data["approvals"]["food"]["mode"] == "video" and len(data["approvals"]["food"]["video_rounds"]) == 2
    assert {"permit": "food", "licence_no": "JY14201030099"} in data["results"]


def test_large_premises_get_an_on_site_inspection_even_when_remote_was_asked(runtime, intake):
    walk = start(runtime, intake, has_company=True, uscc="91420103MA4KXXXX0Q", area_m2=151, has_sign=False,
                 discharge_to_sewer=False, remote_inspection=True)
    walk.complete("Task_FoodReview", decision="approve")
    assert "Task_OnsiteInspection:food" in walk.open_tasks()
