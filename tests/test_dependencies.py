"""pyproject.toml declares the dependencies, uv.lock locks them, requirements*.txt are written from the lock
(`make lock`): the three agree. (`make check-lock` checks the same with uv itself.)"""

from __future__ import annotations

import re
import tomllib

from conftest import ROOT
from packaging.requirements import Requirement

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
LOCK = tomllib.loads((ROOT / "uv.lock").read_text())
PACKAGES = [p for p in LOCK["package"] if p.get("source", {}).get("virtual") != "."]
ROOT_PACKAGE = next(p for p in LOCK["package"] if p.get("source", {}).get("virtual") == ".")
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^ ;]+)")


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(requirements: list[str]) -> set[tuple[str, str, tuple[str, ...]]]:
    parsed = (Requirement(r) for r in requirements)
    return {(norm(r.name), str(r.specifier), tuple(sorted(r.extras))) for r in parsed}


def locked(entries: list[dict]) -> set[tuple[str, str, tuple[str, ...]]]:
    return {(norm(e["name"]), e["specifier"], tuple(sorted(e.get("extras", ())))) for e in entries}


def pins(file_name: str) -> set[tuple[str, str]]:
    lines = (ROOT / file_name).read_text().splitlines()
    return {(norm(m[1]), m[2]) for m in map(PIN.match, lines) if m}


def closure(entries: list[dict]) -> set[str]:
    """The names of the lock's packages that these dependencies pull in (every platform's)."""
    by_name: dict[str, list[dict]] = {}
    for package in PACKAGES:
        by_name.setdefault(norm(package["name"]), []).append(package)
    seen: set[str] = set()
    todo = [(norm(e["name"]), tuple(e.get("extra", ()))) for e in entries]
    while todo:
        name, extras = todo.pop()
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        for package in by_name[name]:
            wanted = list(package.get("dependencies", ()))
            for extra in extras:
                wanted += package.get("optional-dependencies", {}).get(extra, ())
            todo += [(norm(e["name"]), tuple(e.get("extra", ()))) for e in wanted]
    return {name for name, _ in seen}


def test_every_dependency_is_pinned_exactly():
    for requirement in PROJECT["project"]["dependencies"] + PROJECT["dependency-groups"]["dev"]:
        assert re.fullmatch(r"[A-Za-z0-9_.-]+(\[[a-z,]+\])?==[0-9][0-9A-Za-z.]*", requirement), requirement


def test_the_lock_was_made_from_pyproject():
    metadata = ROOT_PACKAGE["metadata"]
    assert declared(PROJECT["project"]["dependencies"]) == locked(metadata["requires-dist"])
    assert declared(PROJECT["dependency-groups"]["dev"]) == locked(metadata["requires-dev"]["dev"])
    assert ROOT_PACKAGE["name"] == norm(PROJECT["project"]["name"])


def test_requirements_files_are_the_lock():
    versions = {(norm(p["name"]), p["version"]) for p in PACKAGES}
    runtime, dev = pins("requirements.txt"), pins("requirements-dev.txt")
    assert runtime and runtime <= versions, runtime - versions
    assert dev <= versions, dev - versions
    assert {name for name, _ in runtime} == closure(ROOT_PACKAGE["dependencies"])
    everything = ROOT_PACKAGE["dependencies"] + ROOT_PACKAGE["dev-dependencies"]["dev"]
    assert {name for name, _ in dev} == closure(everything)
    # The pins pyproject.toml declares are the ones installed.
    for requirement in map(Requirement, PROJECT["project"]["dependencies"]):
        assert (norm(requirement.name), str(requirement.specifier).removeprefix("==")) in runtime
