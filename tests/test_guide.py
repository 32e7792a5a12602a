"""智能导办: the questions come from the deployed decision tables and the
intake form, and the answers go through those same tables."""
import pytest

from engine.guide import GuideUnavailable, build, guide_for, names_read
from engine.runtime import store


def test_names_read_skips_builtins_and_literals():
    assert names_read("'fire' in permits") == ["permits"]
    assert names_read("bool(set(food_categories) & {'a'})") == ["food_categories"]
    assert names_read("area_m2") == ["area_m2"]


def test_restaurant_questions_are_the_tables_inputs_described_by_the_intake_form(runtime):
    with runtime.db.read() as session:
        guide = guide_for(runtime, session.connection(), "restaurant")
    fields = {f["name"]: f for f in guide.questions.fields()}
    # permits.dmn reads area, sewer, sign; materials.dmn property, commitment, agent
    assert set(fields) == {"area_m2", "discharge_to_sewer", "has_sign", "property_type", "commitment", "has_agent"}
    assert fields["area_m2"]["title"]["zh"] == "经营面积（m²）"
    assert [o["value"] for o in fields["property_type"]["options"]] == ["owned", "leased"]
    assert "permits" not in fields  # produced by the first table, never asked


def test_answers_run_through_the_deployed_tables(runtime):
    with runtime.db.read() as session:
        guide = guide_for(runtime, session.connection(), "restaurant")
    big = guide.evaluate({"area_m2": 180, "property_type": "leased", "discharge_to_sewer": True,
                          "has_sign": True, "has_agent": True}, runtime.script_engine)
    assert big.permit_keys == ["food", "fire", "env", "drainage", "sign"]
    assert [a["department"] for a in big.approvals()] == ["SJ", "XF", "HB", "SWJ", "CG"]
    assert "lease_contract" in big.material_keys and "authorisation_letter" in big.material_keys
    small = guide.evaluate({"area_m2": 40, "property_type": "owned"}, runtime.script_engine)
    assert small.permit_keys == ["food", "env"]  # fire only from 50 m² (the table's threshold)
    assert "property_certificate" in small.material_keys and "lease_contract" not in small.material_keys
    assert [a["key"] for a in small.block_approvals()] == ["registration"]


@pytest.mark.parametrize("scenario", ["clinic", "convenience_store", "company_deregistration", "hr_agency"])
def test_every_kind_of_table_input_can_be_asked(runtime, scenario):
    from engine.simulation.answers import answer

    with runtime.db.read() as session:
        guide = guide_for(runtime, session.connection(), scenario)
    answers = answer(guide.questions.schema)
    outcome = guide.evaluate(answers, runtime.script_engine)
    assert outcome.material_keys


def test_tables_run_in_data_order_and_a_version_without_tables_has_no_guide(runtime):
    """company_deregistration: materials reads procedure, whatever order the
    metadata (JSONB on PostgreSQL) gives its decisions."""
    with runtime.db.read() as session:
        guide = guide_for(runtime, session.connection(), "company_deregistration")
        version = store.version_with_files(session.connection(),
                                           runtime.active_version(session.connection(), "restaurant").id)
    order = [d.output_kind for d in guide.decisions]
    assert order.index("procedure") < order.index("materials")
    meta = {k: v for k, v in version.meta.items() if k != "decisions"}
    with pytest.raises(GuideUnavailable):
        build("restaurant", "x", meta, version.files["dmn"], guide.questions)


def test_guide_pages_are_public(app):
    client = app.test_client()
    page = client.get("/guide?q=餐馆").get_data(as_text=True)
    assert "开办餐馆" in page and "开办诊所" not in page
    page = client.get("/guide/restaurant").get_data(as_text=True)
    assert 'name="area_m2"' in page and "需要办理的审批" not in page
    answered = client.get("/guide/restaurant?answered=1&area_m2=80&property_type=leased&has_sign=true")
    html = answered.get_data(as_text=True)
    assert answered.status_code == 200
    assert 'data-approval="fire"' in html and 'data-approval="sign"' in html and 'data-approval="drainage"' not in html
    assert 'data-material="lease_contract"' in html
    assert "/my/apply/restaurant?" in html and "area_m2=80" in html
    bad = client.get("/guide/restaurant?answered=1&area_m2=abc")
    assert bad.status_code == 422 and "需要办理的审批" not in bad.get_data(as_text=True)
    assert client.get("/guide/no_such_thing").status_code == 404
    assert client.get("/guide/correction").status_code == 404  # a shared block is not applied for
