"""The lock files pin what pyproject.toml and requirements/*.in ask for (make lock writes them)."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _name(requirement: str) -> str:
    return re.split(r"[\\[<>=!~; ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pinned(lock: Path) -> dict[str, str]:
    pins = {}
    for line in lock.read_text().splitlines():
        if "==" in line and not line.startswith(("#", " ")):
            name, version = line.split(";")[0].strip().split("==")
            pins[_name(name)] = version
    return pins


def test_the_dev_lock_pins_every_dependency_of_the_project() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in [*project["dependencies"], *project["optional-dependencies"]["dev"]]}
    assert wanted - _pinned(ROOT / "requirements" / "dev.txt").keys() == set(), "run make lock"


def test_each_layer_lock_pins_what_its_input_asks_for_and_the_venv_has_the_same_versions() -> None:
    dev = _pinned(ROOT / "requirements" / "dev.txt")
    for layer in ("lambda", "reports"):
        inputs = (ROOT / "requirements" / f"{layer}.in").read_text().splitlines()
        asked = {_name(line) for line in inputs if line.strip() and not line.startswith("#")}
        pins = _pinned(ROOT / "requirements" / f"{layer}.txt")
        assert asked <= pins.keys(), f"run make lock ({layer})"
        shared = {name for name in pins if name in dev}
        assert {name: pins[name] for name in shared} == {name: dev[name] for name in shared}
