"""New versions of a process made in memory, as the studio makes them: the
scenario folder's files read from disk, its BPMN edited by text
replacements, deployed through engine.deployment.deploy_bundles."""
from __future__ import annotations

import pytest
from sqlalchemy import select, text, update

from engine.deployment import deploy_bundles
from engine.library import Bundle, discover
from models import Case, ProcessVersion, User

from .conftest import CASE_TABLES, PROCESSES

# The restaurant's v2: Task_Env renamed; a task 归档 added after the result
# delivery (behind the end of the case, never reached before it), which
# rewires Flow_Delivery_End and moves the end event on the diagram.
RENAMED_ENV = "环评登记表备案及排污登记（新）"
RENAME_AND_ADD = [
    ('name="环评登记表备案 ＋排污登记"', f'name="{RENAMED_ENV}"'),
    ("<bpmn:flowNodeRef>End_Issued</bpmn:flowNodeRef>",
     "<bpmn:flowNodeRef>Task_Archive</bpmn:flowNodeRef><bpmn:flowNodeRef>End_Issued</bpmn:flowNodeRef>"),
    ('<bpmn:endEvent id="End_Issued" name="证照已送达">\n      <bpmn:incoming>Flow_Delivery_End</bpmn:incoming>',
     '<bpmn:userTask id="Task_Archive" name="归档"><bpmn:incoming>Flow_Delivery_End</bpmn:incoming>'
     '<bpmn:outgoing>Flow_Archive_End</bpmn:outgoing></bpmn:userTask>\n'
     '    <bpmn:endEvent id="End_Issued" name="证照已送达">\n      <bpmn:incoming>Flow_Archive_End</bpmn:incoming>'),
    ('<bpmn:sequenceFlow id="Flow_Delivery_End" sourceRef="Call_Delivery" targetRef="End_Issued"/>',
     '<bpmn:sequenceFlow id="Flow_Delivery_End" sourceRef="Call_Delivery" targetRef="Task_Archive"/>'
     '<bpmn:sequenceFlow id="Flow_Archive_End" sourceRef="Task_Archive" targetRef="End_Issued"/>'),
    ('<dc:Bounds x="3922" y="127" width="36" height="36"/>', '<dc:Bounds x="4022" y="127" width="36" height="36"/>'),
]

# Another v2: a health-permit branch behind the parallel approvals'
# inclusive split 并联审批 (Gateway_PermitSplit), into its join.
BRANCH_AFTER_SPLIT = [
    ("<bpmn:flowNodeRef>Task_FoodReview</bpmn:flowNodeRef>",
     "<bpmn:flowNodeRef>Task_FoodReview</bpmn:flowNodeRef><bpmn:flowNodeRef>Task_Health</bpmn:flowNodeRef>"),
    ("<bpmn:outgoing>Flow_ToSign</bpmn:outgoing>",
     "<bpmn:outgoing>Flow_ToSign</bpmn:outgoing><bpmn:outgoing>Flow_ToHealth</bpmn:outgoing>"),
    ("<bpmn:incoming>Flow_Sign_Join</bpmn:incoming>",
     "<bpmn:incoming>Flow_Sign_Join</bpmn:incoming><bpmn:incoming>Flow_Health_Join</bpmn:incoming>"),
    ('<bpmn:sequenceFlow id="Flow_Sign_Join" sourceRef="Task_Sign" targetRef="Gateway_PermitJoin"/>',
     '<bpmn:sequenceFlow id="Flow_Sign_Join" sourceRef="Task_Sign" targetRef="Gateway_PermitJoin"/>'
     '<bpmn:userTask id="Task_Health" name="卫生许可审查" camunda:formKey="approval"/>'
     '<bpmn:sequenceFlow id="Flow_ToHealth" name="卫生" sourceRef="Gateway_PermitSplit" targetRef="Task_Health">'
     '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">True</bpmn:conditionExpression>'
     '</bpmn:sequenceFlow>'
     '<bpmn:sequenceFlow id="Flow_Health_Join" sourceRef="Task_Health" targetRef="Gateway_PermitJoin"/>'),
]


def edit(text: str, replacements: list[tuple[str, str]]) -> str:
    for old, new in replacements:
        assert text.count(old) == 1, f"expected {old!r} once in the process file"
        text = text.replace(old, new)
    return text


def edited_bundle(scenario: str, replacements: list[tuple[str, str]], folder=None) -> Bundle:
    """The scenario folder's bundle with its main BPMN file edited."""
    bundle = discover([folder or PROCESSES / scenario])[0]
    main = next(path for path in bundle.bpmn if path.endswith(f"{scenario}.bpmn"))
    bundle.bpmn[main] = edit(bundle.bpmn[main], replacements)
    return bundle


def deploy_bundle(db, bundle: Bundle) -> ProcessVersion:
    with db.write() as session:
        designer = session.scalar(select(User).where(User.username == "designer"))
        deployed = deploy_bundles(session, [bundle], designer)[0]
        assert deployed.created
        return session.scalar(select(ProcessVersion).where(ProcessVersion.scenario_key == deployed.key,
                                                           ProcessVersion.version == deployed.version))


def deploy_edited(db, scenario: str, replacements: list[tuple[str, str]]) -> ProcessVersion:
    return deploy_bundle(db, edited_bundle(scenario, replacements))


def deploy_block_change(db, block: str, replacements: list[tuple[str, str]],
                        scenario: str = "restaurant") -> ProcessVersion:
    """A shared block edited, deployed with a scenario that calls it (the
    scenario's new version carries the block's new files)."""
    changed = edited_bundle(block, replacements, PROCESSES / "common" / block)
    with db.write() as session:
        designer = session.scalar(select(User).where(User.username == "designer"))
        deployed = deploy_bundles(session, [changed, discover([PROCESSES / scenario])[0]], designer)
        version = next(d for d in deployed if d.key == scenario)
        assert version.created
        return session.scalar(select(ProcessVersion).where(ProcessVersion.scenario_key == scenario,
                                                           ProcessVersion.version == version.version))


def active_version(db, scenario: str) -> ProcessVersion:
    with db.read() as session:
        return session.scalar(select(ProcessVersion).where(ProcessVersion.scenario_key == scenario,
                                                           ProcessVersion.active.is_(True)))


def case_row(db, case_id: int) -> Case:
    with db.read() as session:
        return session.get(Case, case_id)


@pytest.fixture
def restore_versions(db):
    """PostgreSQL keeps process versions between tests (only the case tables
    are emptied): take away the versions a test deployed, with their cases,
    and make the versions active before it active again."""
    with db.read() as session:
        before = {v.id: v.active for v in session.scalars(select(ProcessVersion))}
    yield
    if db.is_sqlite:
        return  # each SQLite test has a copy of its own
    with db.write() as session:
        added = [v for v in session.scalars(select(ProcessVersion)) if v.id not in before]
        if not added:
            return
        session.execute(text("TRUNCATE " + ", ".join(CASE_TABLES) + " RESTART IDENTITY CASCADE"))
        for version in added:
            session.delete(version)
        session.flush()
        for version_id, active in before.items():
            session.execute(update(ProcessVersion).where(ProcessVersion.id == version_id).values(active=active))
