"""The studio's compare and migrate pages in a real browser (issue 7, items
5 and 6): after version 2 of the restaurant adds a branch behind the
parallel split, the compare page paints the added and changed elements on
the new diagram and the removed ones on the old; the migrate page lets the
designer tick the case that has not reached the split and move it, while
the case that has passed the split cannot be ticked and says why.
Screenshots in test-artifacts/."""
from __future__ import annotations

import pytest

from models import Database
from tests.browser import live_browser, shot, sign_in
from tests.edited_versions import BRANCH_AFTER_SPLIT, case_row, deploy_edited
from tests.walk import start
from web import get_db, get_runtime

pytestmark = pytest.mark.browser
HAS_COMPANY = dict(has_company=True, uscc="91420103MA4KXXXX0Q", area_m2=40, has_sign=False,
                   discharge_to_sewer=False, remote_inspection=False)


def test_designer_compares_the_versions_and_moves_the_case_that_can_move(request, tmp_path, intake):
    with live_browser(request, tmp_path) as (base, browser, app):
        runtime, db = get_runtime(app), get_db(app)
        assert isinstance(db, Database)
        fired = start(runtime, intake, **HAS_COMPANY)  # its parallel approvals have started
        waiting = start(runtime, intake)  # still before the split
        v2 = deploy_edited(db, "restaurant", BRANCH_AFTER_SPLIT)

        page = browser.new_context(viewport={"width": 1360, "height": 1000}, locale="zh-CN").new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        sign_in(page, base, "designer")
        page.goto(f"{base}/studio/restaurant")
        page.click("text=比较最近两个版本")
        page.wait_for_selector("#studio-compare[data-painted]")
        # The edit adds the task without a diagram shape (as a text edit would): the table
        # lists it, the diagram marks the split and the join it changed.
        assert int(page.get_attribute("#studio-compare", "data-painted")) == 2
        assert page.locator(".djs-element.diff-changed[data-element-id='Gateway_PermitSplit']").count() == 1
        assert page.locator(".djs-element.diff-changed[data-element-id='Gateway_PermitJoin']").count() == 1
        assert "卫生许可审查" in page.inner_text("tr.diff-added[data-element='Task_Health']")
        shot(page, "studio-compare")

        page.click("text=返回事项")
        page.click("text=迁移旧版本上的 2 件到当前版本")
        fired_ref, waiting_ref = case_row(db, fired.case_id).reference, case_row(db, waiting.case_id).reference
        blocked = page.locator(f"tr[data-case='{fired_ref}']")
        assert blocked.locator("input[type=checkbox]").is_disabled()
        assert "并联审批" in blocked.inner_text() and "不能迁移" in blocked.inner_text()
        shot(page, "studio-migrate")
        page.check(f"tr[data-case='{waiting_ref}'] input[type=checkbox]")
        page.click("text=迁移勾选的办件")
        assert f"已将 1 件迁移到第 {v2.version} 版：{waiting_ref}" in page.inner_text("main")
        assert page.locator(f"tr[data-case='{waiting_ref}']").count() == 0
        shot(page, "studio-migrated")
        assert case_row(db, waiting.case_id).process_version_id == v2.id
        assert case_row(db, fired.case_id).process_version_id != v2.id
        assert errors == []
