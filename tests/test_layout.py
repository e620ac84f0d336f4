"""The repository's shape: what a newcomer and CI rely on."""
import ast
import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ["crm_core", "crm_marketing", "crm_service", "crm_analytics"]


def manifests():
    for path in sorted((ROOT / "addons").glob("*/__manifest__.py")):
        yield path.parent, ast.literal_eval(path.read_text())


def test_the_four_product_addons_exist():
    names = {addon.name for addon, _manifest in manifests()}
    assert set(PRODUCT) <= names


def test_manifests_are_complete_and_list_existing_files():
    for addon, manifest in manifests():
        assert manifest["version"].startswith("19.0."), addon.name
        assert manifest["license"] == "LGPL-3", addon.name
        for key in ("name", "summary", "category", "author", "website", "depends"):
            assert manifest.get(key), f"{addon.name}: {key}"
        for entry in manifest.get("data", []) + manifest.get("demo", []):
            assert (addon / entry).exists(), f"{addon.name} lists missing {entry}"


def declared_models(py_file):
    """Models a file creates: a class `_name` that is not also one of its `_inherit`."""
    names = set()
    for node in ast.walk(ast.parse(py_file.read_text())):
        if not isinstance(node, ast.ClassDef):
            continue
        attrs = {}
        for stmt in node.body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                try:
                    attrs[stmt.targets[0].id] = ast.literal_eval(stmt.value)
                except ValueError:
                    continue
        name, inherit = attrs.get("_name"), attrs.get("_inherit", ())
        inherit = [inherit] if isinstance(inherit, str) else list(inherit)
        if isinstance(name, str) and name not in inherit and not attrs.get("_abstract", False):
            names.add(name)
    return names


def test_every_model_has_access_rights():
    for addon, _manifest in manifests():
        declared = set()
        for py in addon.rglob("*.py"):
            declared |= declared_models(py)
        access = addon / "security" / "ir.model.access.csv"
        covered = set()
        if access.exists():
            with access.open() as handle:
                covered = {row["model_id:id"].split(".")[-1] for row in csv.DictReader(handle)}
        missing = {name for name in declared if "model_" + name.replace(".", "_") not in covered}
        assert not missing, f"{addon.name}: no access rights for {sorted(missing)}"


def test_product_addons_have_oca_readme_fragments_and_tests():
    for name in PRODUCT:
        addon = ROOT / "addons" / name
        for fragment in ("DESCRIPTION.md", "CONFIGURE.md", "USAGE.md"):
            text = (addon / "readme" / fragment).read_text().strip()
            assert len(text) > 40, f"{name}/readme/{fragment} is empty"
        tests = list((addon / "tests").glob("test_*.py"))
        assert tests, f"{name} has no tests"
        tree = ast.parse((addon / "tests" / "__init__.py").read_text())
        imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for alias in node.names}
        for test in tests:
            assert test.stem in imported, f"{name}: {test.name} is not imported by tests/__init__.py"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "python3 scripts/crmctl.py test" in readme
    assert "python3 scripts/crmctl.py run" in readme
    last = ci.strip().splitlines()[-1]
    # the README's test command, optionally followed by a run on a shifted clock that the README documents
    assert last == "python3 scripts/crmctl.py test" or last.startswith("python3 scripts/crmctl.py test --also-at ")
    if "--also-at" in last:
        assert last.split("--also-at", 1)[1].strip() in readme


def test_no_odoo_source_in_the_repository():
    assert not (ROOT / "odoo").exists()
    assert not list(ROOT.glob("**/odoo/release.py"))
