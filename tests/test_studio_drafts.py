"""engine/studio/drafts.py: a scenario's draft opened from its active
version's own files, saved with optimistic locking and validated on every
save, refused when unsafe, deployed as a new version in one transaction."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.library import assemble
from engine.runtime.errors import Conflict, Forbidden
from engine.studio import drafts
from engine.studio.errors import DraftRefused, StaleDraft
from engine.studio.version_files import own_files
from engine.validation import index_of
from engine.runtime.service import content_of
from models import ProcessDraft, ProcessVersion
from tests.bpmn_factory import one_task_process
from tests.studio_helpers import (LIBRARY_KEYS, broken_condition, library_restored,  # noqa: F401
                                  renamed_food_review, user)

RESTAURANT_FILES = {"restaurant.bpmn", "materials.dmn", "permits.dmn", "forms/env_filing.json",
                    "forms/food_review.json", "forms/restaurant_intake.json", "metadata.json"}
DOCTYPE = '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x "boom">]>\n'


def _open(db, key="restaurant", who="designer"):
    with db.write() as session:
        draft = drafts.open_draft(session, key, user(session, who))
        return draft.revision, dict(draft.files), list(draft.problems)


def _save(db, files, revision, who="designer", key="restaurant", upload=False):
    with db.write() as session:
        draft = drafts.save_files(session, key, files, revision, user(session, who), upload=upload)
        return draft.revision, list(draft.problems)


def _versions(db, key="restaurant"):
    with db.read() as session:
        return [(v.version, v.active) for v in session.scalars(
            select(ProcessVersion).where(ProcessVersion.scenario_key == key).order_by(ProcessVersion.version))]


def _draft(db, key="restaurant"):
    with db.read() as session:
        return drafts.draft_of(session, key)


def test_a_draft_holds_the_scenarios_own_files_not_the_shared_blocks(db):
    revision, files, problems = _open(db)
    assert set(files) == RESTAURANT_FILES
    assert (revision, problems) == (1, [])
    assert '"blocks"' not in files["metadata.json"] and '"key": "restaurant"' in files["metadata.json"]
    # A block opened on its own holds its own forms, not the library's shared ones.
    _, block, _ = _open(db, "company_setup")
    assert {p for p in block if p.startswith("forms/")} == {
        "forms/housing_fund.json", "forms/registration.json", "forms/seal.json", "forms/social_insurance.json",
        "forms/tax.json"}


def test_every_active_version_is_rebuilt_from_its_own_files_with_the_same_content(db):
    with db.read() as session:
        versions = list(session.scalars(select(ProcessVersion).where(ProcessVersion.active.is_(True))))
        index = {v.process_id: content_of(v) for v in versions}
        library = [v for v in versions if v.scenario_key in LIBRARY_KEYS]
        assert len(library) == len(LIBRARY_KEYS) == 38
        for version in library:
            bundle = drafts.draft_bundle(session, version.scenario_key, own_files(session, version), version)
            assert not bundle.problems, version.scenario_key
            content, _ = assemble(bundle, index_of([bundle], index))
            assert content.content_hash == version.content_hash, version.scenario_key


def test_an_unchanged_draft_deploys_as_no_new_version(db, library_restored):
    revision, _, _ = _open(db)
    with db.write() as session:
        deployed = drafts.deploy_draft(session, "restaurant", revision, user(session, "designer"))
    assert (deployed.version, deployed.created) == (1, False)
    assert _draft(db) is None
    assert _versions(db) == [(1, True)]


def test_a_saved_change_deploys_as_version_2_and_the_draft_is_gone(db, library_restored):
    revision, files, _ = _open(db)
    revision, problems = _save(db, {"restaurant.bpmn": renamed_food_review(files["restaurant.bpmn"])}, revision)
    assert (revision, problems) == (2, [])
    with db.write() as session:
        deployed = drafts.deploy_draft(session, "restaurant", revision, user(session, "designer"))
    assert (deployed.version, deployed.created) == (2, True)
    assert _versions(db) == [(1, False), (2, True)]
    assert _draft(db) is None
    with db.read() as session:
        v1, v2 = session.scalars(select(ProcessVersion).where(ProcessVersion.scenario_key == "restaurant")
                                 .order_by(ProcessVersion.version))
        # The same folder paths, the same blocks; only the changed file differs.
        assert set(v2.files["bpmn"]) == set(v1.files["bpmn"])
        assert v2.files["forms"] == v1.files["forms"] and v2.files["dmn"] == v1.files["dmn"]
        changed = [p for p in v1.files["bpmn"] if v1.files["bpmn"][p] != v2.files["bpmn"][p]]
        assert changed == ["processes/restaurant/restaurant.bpmn"]
        assert v2.deployed_by_name == "designer"


def test_saving_without_a_draft_opens_one_from_the_active_version(db):
    with db.read() as session:
        files = drafts.working_copy(session, "restaurant").files
    revision, problems = _save(db, {"restaurant.bpmn": renamed_food_review(files["restaurant.bpmn"])}, 0)
    assert (revision, problems) == (1, [])
    assert "材料审核（新）" in _draft(db).files["restaurant.bpmn"]


def test_a_save_over_a_newer_revision_is_refused_and_nothing_is_lost(db):
    revision, files, _ = _open(db)
    mine = renamed_food_review(files["restaurant.bpmn"], "管理员改的名字")
    _save(db, {"restaurant.bpmn": mine}, revision, who="admin")
    with pytest.raises(StaleDraft) as refused:
        _save(db, {"restaurant.bpmn": renamed_food_review(files["restaurant.bpmn"], "设计员改的名字")}, revision)
    assert "系统管理员" in refused.value.message or "admin" in refused.value.message
    assert refused.value.revision == 2
    draft = _draft(db)
    assert "管理员改的名字" in draft.files["restaurant.bpmn"] and draft.revision == 2
    # After a draft is deployed or discarded, a save of the old revision is refused too.
    with db.write() as session:
        drafts.discard_draft(session, "restaurant", 2, user(session, "designer"))
    with pytest.raises(Conflict):
        _save(db, {"restaurant.bpmn": mine}, 2)
    assert _draft(db) is None


def test_a_condition_the_evaluator_refuses_is_kept_as_a_problem_on_its_flow_and_blocks_deploy(db, library_restored):
    revision, files, _ = _open(db)
    revision, problems = _save(db, {"restaurant.bpmn": broken_condition(files["restaurant.bpmn"])}, revision)
    assert revision == 2
    assert [(p["file"], p["element"]) for p in problems] == [("restaurant.bpmn", "Flow_FoodReviewPassed")]
    assert "condition" in problems[0]["message"]
    with pytest.raises(DraftRefused) as refused, db.write() as session:
        drafts.deploy_draft(session, "restaurant", revision, user(session, "designer"))
    assert [p.element for p in refused.value.problems] == ["Flow_FoodReviewPassed"]
    assert _versions(db) == [(1, True)]
    assert _draft(db) is not None  # the refused deploy left the draft as it was
    # Fixed: no problem left, and it deploys.
    revision, problems = _save(db, {"restaurant.bpmn": files["restaurant.bpmn"]}, revision)
    assert problems == []


def test_lint_problems_are_found_on_save(db):
    revision, files, _ = _open(db)
    dangling = files["restaurant.bpmn"].replace('targetRef="Gateway_FoodReviewed"/>', 'targetRef="Nowhere"/>', 1)
    _, problems = _save(db, {"restaurant.bpmn": dangling}, revision)
    found = {(p["element"], p["message"]) for p in problems}
    assert ("Flow_FoodReview_Decision", "sequence flow's target 'Nowhere' does not exist") in found
    assert any(element == "Gateway_FoodReviewed" and "no incoming" in message for element, message in found)


@pytest.mark.parametrize("name, text, why", [
    ("restaurant.bpmn", DOCTYPE + "<bpmn:definitions/>", "DOCTYPE"),
    ("permits.dmn", DOCTYPE + "<definitions/>", "DOCTYPE"),
    ("restaurant.bpmn", "<bpmn:definitions", "XML"),
    ("restaurant.bpmn", "not xml at all", "XML"),
    ("restaurant.bpmn", '<definitions xmlns="urn:other"/>', "not a BPMN"),
    ("forms/intake.json", "[1, 2]", "top level"),
    ("metadata.json", "{", "invalid JSON"),
    ("../escape.bpmn", "<x/>", "not a path"),
    ("notes.txt", "hello", "a draft holds"),
])
def test_files_a_draft_may_not_hold_refuse_the_whole_save(db, name, text, why):
    revision, files, _ = _open(db)
    good = renamed_food_review(files["restaurant.bpmn"])
    with pytest.raises(DraftRefused) as refused:
        _save(db, {"restaurant.bpmn": good, name: text} if name != "restaurant.bpmn" else {name: text}, revision)
    assert why in " ".join(p.message for p in refused.value.problems) or why in str(refused.value.problems)
    draft = _draft(db)
    assert draft.revision == revision and draft.files == files  # nothing partial saved


def test_an_oversized_upload_is_refused(db, monkeypatch):
    revision, files, _ = _open(db)
    with pytest.raises(DraftRefused) as refused, db.write() as session:
        drafts.upload_file(session, "restaurant", "restaurant.bpmn", b" " * (5 * 1024 * 1024 + 1), revision,
                           user(session, "designer"))
    assert "larger than 5 MiB" in refused.value.problems[0].message
    assert _draft(db).files == files


def test_an_upload_with_an_expression_the_evaluator_refuses_is_refused_whole(db):
    revision, files, _ = _open(db)
    hostile = broken_condition(files["restaurant.bpmn"]).encode("utf-8")
    with pytest.raises(DraftRefused) as refused, db.write() as session:
        drafts.upload_file(session, "restaurant", "C:\\Users\\me\\restaurant.bpmn", hostile, revision,
                           user(session, "designer"))
    assert [p.element for p in refused.value.problems] == ["Flow_FoodReviewPassed"]
    assert _draft(db).files == files
    # A clean upload lands under its path in the scenario folder.
    with db.write() as session:
        draft = drafts.upload_file(session, "restaurant", "intake.json", b'{"type": "object"}', revision,
                                   user(session, "designer"))
        assert draft.files["forms/intake.json"] == '{"type": "object"}' and draft.revision == revision + 1


def test_an_uploaded_decision_table_with_a_cell_the_evaluator_refuses_is_refused_whole(db):
    revision, files, _ = _open(db)
    hostile = files["permits.dmn"].replace("<text>&gt;= 50</text>", "<text>__import__('os')</text>", 1)
    assert hostile != files["permits.dmn"]
    with pytest.raises(DraftRefused) as refused, db.write() as session:
        drafts.upload_file(session, "restaurant", "permits.dmn", hostile.encode("utf-8"), revision,
                           user(session, "designer"))
    assert [p.element for p in refused.value.problems] == ["Rule_fire"]
    assert _draft(db).files == files


def test_a_file_taken_out_of_the_draft_leaves_problems_where_it_was_used(db):
    revision, files, _ = _open(db)
    with db.write() as session:
        draft = drafts.remove_file(session, "restaurant", "forms/food_review.json", revision, user(session, "designer"))
        assert "forms/food_review.json" not in draft.files and draft.revision == revision + 1
        assert any(p["element"] == "Task_FoodReview" for p in draft.problems)  # its formKey names no form now
    for kept in ("metadata.json", "restaurant.bpmn"):
        with pytest.raises(DraftRefused), db.write() as session:
            drafts.remove_file(session, "restaurant", kept, revision + 1, user(session, "designer"))
    with pytest.raises(StaleDraft), db.write() as session:  # the revision the page showed is gone
        drafts.remove_file(session, "restaurant", "permits.dmn", revision, user(session, "designer"))
    with pytest.raises(Forbidden), db.write() as session:
        drafts.remove_file(session, "restaurant", "permits.dmn", revision + 1, user(session, "clerk"))
    assert set(_draft(db).files) == set(files) - {"forms/food_review.json"}


def test_only_designers_and_admins_write_drafts(db):
    for who in ("clerk", "supervisor", "rev_sj", "applicant"):
        with pytest.raises(Forbidden), db.write() as session:
            drafts.open_draft(session, "restaurant", user(session, who))
        with pytest.raises(Forbidden), db.write() as session:
            drafts.save_files(session, "restaurant", {}, 0, user(session, who))
    assert _draft(db) is None
    _open(db, who="admin")


def test_a_new_scenario_starts_from_an_uploaded_bpmn_and_deploys(db, runtime, library_restored):
    bpmn = one_task_process("studio_new").encode("utf-8")
    with db.write() as session:
        draft = drafts.start_scenario(session, "studio_new.bpmn", bpmn, user(session, "designer"))
        assert set(draft.files) == {"studio_new.bpmn", "metadata.json"} and draft.base_version_id is None
        assert draft.problems == []
    with pytest.raises(Conflict), db.write() as session:
        drafts.start_scenario(session, "restaurant.bpmn", one_task_process("restaurant").encode(),
                              user(session, "designer"))
    with db.write() as session:
        deployed = drafts.deploy_draft(session, "studio_new", 1, user(session, "designer"))
    assert (deployed.key, deployed.version) == ("studio_new", 1)
    with db.read() as session:
        version = drafts.active_version(session, "studio_new")
        assert list(version.files["bpmn"]) == ["processes/studio_new/studio_new.bpmn"]


def test_a_draft_whose_metadata_names_another_scenario_is_not_deployable(db):
    revision, files, _ = _open(db)
    _, problems = _save(db, {"metadata.json": files["metadata.json"].replace('"key": "restaurant"', '"key": "hotel"')},
                        revision)
    assert [(p["file"], p["element"]) for p in problems] == [("metadata.json", "key")]


def test_running_cases_stay_on_version_1_while_new_cases_start_on_version_2(db, runtime, intake, library_restored):
    from tests.walk import start

    old = start(runtime, intake, has_company=True, uscc="91420103MA4KXXXX0Q", area_m2=40, has_sign=False,
                discharge_to_sewer=False, remote_inspection=False)
    revision, files, _ = _open(db)
    revision, _ = _save(db, {"restaurant.bpmn": renamed_food_review(files["restaurant.bpmn"])}, revision)
    with db.write() as session:
        drafts.deploy_draft(session, "restaurant", revision, user(session, "designer"))
    new = start(runtime, intake, has_company=True, uscc="91420103MA4KXXXX0Q", area_m2=40, has_sign=False,
                discharge_to_sewer=False, remote_inspection=False)
    with db.read() as session:
        v1, v2 = session.scalars(select(ProcessVersion.id).where(ProcessVersion.scenario_key == "restaurant")
                                 .order_by(ProcessVersion.version))
    assert (old.case().process_version_id, new.case().process_version_id) == (v1, v2)
    titles = {w.case_id: w.title_zh for w in old.open_items() + new.open_items() if w.task_spec == "Task_FoodReview"}
    assert titles == {old.case_id: "食品经营许可 材料审查", new.case_id: "食品经营许可 材料审核（新）"}
    for walk in (old, new):
        walk.complete("Task_FoodReview", decision="approve")
        walk.complete("Task_OnsiteInspection:food", decision="approve", mode="on_site")
        walk.complete("Task_Env", decision="approve")
        assert walk.complete("Task_Delivery", method="ems").status == "completed"
    assert old.case().process_version_id == v1


def test_the_draft_table_has_one_draft_per_scenario(db):
    _open(db)
    _open(db)
    with db.read() as session:
        assert session.scalar(select(ProcessDraft.id).where(ProcessDraft.scenario_key == "restaurant")) is not None
        assert len(list(session.scalars(select(ProcessDraft)))) == 1
