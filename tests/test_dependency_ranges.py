"""The dependencies' ranges in pyproject.toml and the two constraints files the suite is run with:
constraints.txt (the newest versions, README's test command) and constraints-oldest.txt (the lower
end of each range) pin versions inside the ranges, and the oldest file pins exactly the lower bound."""

import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
# What a learner installs: the dependencies, and the serve extra a teacher adds (bp-tui serve).
REQUIREMENTS = [Requirement(text) for text in PROJECT["dependencies"] + PROJECT["optional-dependencies"]["serve"]]


def pins(name: str) -> dict[str, Version]:
    """`package==version` lines of a constraints file, by normalised package name."""
    found = {}
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            package, version = line.split("==")
            found[package.strip().lower().replace("_", "-")] = Version(version.strip())
    return found


def lower_bound(requirement: Requirement) -> Version:
    bounds = [Version(spec.version) for spec in requirement.specifier if spec.operator == ">="]
    assert len(bounds) == 1, f"{requirement}: state one lower bound with >="
    return bounds[0]


@pytest.mark.parametrize("requirement", REQUIREMENTS, ids=[r.name for r in REQUIREMENTS])
def test_both_constraints_files_pin_each_dependency_inside_its_range(requirement):
    for name in ("constraints.txt", "constraints-oldest.txt"):
        version = pins(name).get(requirement.name.lower())
        assert version is not None, f"{name} does not pin {requirement.name}"
        assert requirement.specifier.contains(version), f"{name}: {requirement.name} {version} is not in {requirement}"


@pytest.mark.parametrize("requirement", REQUIREMENTS, ids=[r.name for r in REQUIREMENTS])
def test_the_oldest_constraints_pin_the_lower_bound_and_the_newest_are_not_older(requirement):
    oldest, newest = pins("constraints-oldest.txt"), pins("constraints.txt")
    name = requirement.name.lower()
    assert oldest[name] == lower_bound(requirement), f"constraints-oldest.txt: {name} is not {requirement}'s lower end"
    assert newest[name] >= oldest[name]


def test_the_two_files_pin_the_same_packages():
    assert sorted(pins("constraints-oldest.txt")) == sorted(pins("constraints.txt"))
