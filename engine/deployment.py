"""Deploying bundles as process versions (DESIGN.md decision 9). One call is
one transaction: either every bundle given is valid and deployed, or
nothing is written and every problem is reported."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from models import ProcessVersion, User

from .library import Bundle, VersionContent, discover
from .problems import Problem, ProcessFileError
from .specs import SPEC_CACHE
from .validation import check_bundle, index_of


@dataclass
class Deployed:
    key: str
    version: int
    created: bool
    content_hash: str
    name_zh: str
    name_en: str

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def deployed_index(session: Session) -> dict[str, VersionContent]:
    from .runtime.service import content_of

    versions = session.scalars(select(ProcessVersion).where(ProcessVersion.active.is_(True)))
    return {v.process_id: content_of(v) for v in versions}


def validate_paths(paths, session: Session | None = None) -> tuple[list[Bundle], list[Problem]]:
    bundles = discover(paths)
    index = index_of(bundles, deployed_index(session) if session is not None else None)
    problems: list[Problem] = []
    for bundle in bundles:
        problems += check_bundle(bundle, index)[2]
    return bundles, problems


def deploy_paths(session: Session, paths, actor: User | None = None) -> list[Deployed]:
    bundles = discover(paths)
    return deploy_bundles(session, bundles, actor)


def deploy_bundles(session: Session, bundles: list[Bundle], actor: User | None = None) -> list[Deployed]:
    index = index_of(bundles, deployed_index(session))
    checked, problems = [], []
    for bundle in bundles:
        compiled, content, found = check_bundle(bundle, index)
        problems += found
        if not found:
            checked.append((bundle, compiled, content))
    if problems:
        raise ProcessFileError(problems)
    keys = [b.key for b in bundles]
    if len(keys) != len(set(keys)):
        dup = sorted({k for k in keys if keys.count(k) > 1})
        raise ProcessFileError([Problem(k, "", "two bundles share this scenario key") for k in dup])
    results = []
    for bundle, compiled, content in checked:
        results.append(store_version(session, content, actor))
        SPEC_CACHE.put(compiled)
    return results


def store_version(session: Session, content: VersionContent, actor: User | None) -> Deployed:
    """A checked version as the active one (a new row unless its content is the latest's)."""
    meta = content.metadata
    name = meta.get("name") or {}
    latest = session.scalar(select(ProcessVersion).where(ProcessVersion.scenario_key == content.key)
                            .order_by(ProcessVersion.version.desc()).limit(1))
    digest = content.content_hash
    if latest is not None and latest.content_hash == digest:
        if not latest.active:
            _activate(session, content.key, latest.id)
        return Deployed(content.key, latest.version, False, digest, latest.name_zh, latest.name_en)
    number = (session.scalar(select(func.max(ProcessVersion.version))
                             .where(ProcessVersion.scenario_key == content.key)) or 0) + 1
    version = ProcessVersion(
        scenario_key=content.key, version=number, process_id=content.process_id,
        name_zh=name.get("zh") or content.key, name_en=name.get("en") or content.key,
        category=meta.get("category") or "imported", content_hash=digest, files=content.as_files(),
        meta=meta, deployed_by_id=actor.id if actor else None,
        deployed_by_name=actor.username if actor else "system", active=False,
    )
    session.add(version)
    session.flush()
    _activate(session, content.key, version.id)
    return Deployed(content.key, number, True, digest, version.name_zh, version.name_en)


def _activate(session: Session, key: str, version_id: int) -> None:
    session.execute(update(ProcessVersion).where(ProcessVersion.scenario_key == key)
                    .values(active=ProcessVersion.id == version_id))
