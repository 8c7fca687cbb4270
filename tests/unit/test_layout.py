"""The shape of the code base that review holds us to: small modules, no import cycles. (The
layering itself is in the import-linter contracts of pyproject.toml, run by make lint.)"""

from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 300


def test_no_product_module_is_longer_than_can_be_read_in_one_sitting() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for package in ("shared", "functions")
        for path in (ROOT / package).rglob("*.py")
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


def test_no_two_modules_import_each_other() -> None:
    graph = grimp.build_graph("shared", "functions")
    cycles = {
        tuple(sorted((module, imported)))
        for module in graph.modules
        for imported in graph.find_modules_directly_imported_by(module)
        if imported.startswith(("shared", "functions"))
        and graph.chain_exists(importer=imported, imported=module)
    }
    assert cycles == set()
