"""pytest-odoo, the quick path for one Odoo test module against an existing database.

    python3 scripts/crmctl.py testdb                       # once: crm_dev with every addon of ours
    pytest --odoo-database=crm_dev addons/crm_service/tests/test_sla.py -k pause

The plugin reads Odoo's configuration from ``ODOO_RC``: this file points it at
the embedded default (``config/odoo.conf`` plus the addons path and data dir,
written by ``crmctl`` to ``.local/odoo-runtime.conf``) and starts the local
cluster when it is stopped.  Odoo's own runner (``crmctl test``) does not read it.
"""
import importlib.util
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _crmctl():
    spec = importlib.util.spec_from_file_location("_crmctl_for_pytest", ROOT / "scripts" / "crmctl.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


if "ODOO_RC" not in os.environ:  # crmctl's own pytest-odoo step sets it (a cluster of its choice)
    _ctl = _crmctl()
    _ctl.ensure_cluster()
    os.environ["ODOO_RC"] = str(_ctl.write_runtime_config())
