"""Pure-logic tests: the addons' tools/ modules, imported without Odoo.

Each addon keeps its algorithms (phones, duplicates, SLA clock, ABC/XYZ, RFM,
distribution) in ``addons/<addon>/tools/`` as plain Python that never imports
``odoo``; these tests load them straight from their files.
"""
import importlib.util
import sys
from pathlib import Path

import pytest

ADDONS = Path(__file__).resolve().parent.parent / "addons"


def load_tool(addon, module):
    """Import addons/<addon>/tools/<module>.py as a standalone module."""
    path = ADDONS / addon / "tools" / f"{module}.py"
    name = f"_crm_suite_tools_{addon}_{module}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture
def shared_data():
    """The sample customer files shipped beside the repository (shared/data) or in it."""
    for candidate in (ADDONS.parent / "shared" / "data", ADDONS.parent.parent / "shared" / "data"):
        if candidate.is_dir():
            return candidate
    pytest.skip("shared/data with the sample customer files is not beside this checkout")
