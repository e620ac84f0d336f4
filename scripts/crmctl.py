#!/usr/bin/env python3
"""Run, test, stop and clean the CRM suite on its embedded default.

The embedded default is a PostgreSQL cluster created with Debian's server
binaries in the git-ignored ``.local/`` folder, plus an Odoo data dir beside
it.  Odoo itself is the host: it must be importable by the Python running this
script (``import odoo``); nothing here builds or installs it.

    python3 scripts/crmctl.py run     # cluster + database with demo data + server on :8069
    python3 scripts/crmctl.py test    # lint + pure tests + Odoo tests on throwaway databases
    python3 scripts/crmctl.py stop    # stop a detached server and the cluster
    python3 scripts/crmctl.py clean   # stop, then remove .local/

The work is done by the ``crmctl_lib`` package beside this file (cluster, Odoo server, test runner,
benchmarks, command line); this script is its entry point and keeps the names other scripts import
(``scripts/check_translations.py``, ``addons/conftest.py``).
"""

import sys
from pathlib import Path

if str(Path(__file__).resolve().parent) not in sys.path:  # loaded by file path (addons/conftest.py, tests/)
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from crmctl_lib import cli
from crmctl_lib.cluster import ensure_cluster
from crmctl_lib.common import CONFIG_FILE, ODOO_DATA, SetupError, read_config
from crmctl_lib.odoo_server import odoo_addons_paths, write_runtime_config

__all__ = ["CONFIG_FILE", "ODOO_DATA", "SetupError", "ensure_cluster", "main", "odoo_addons_paths", "read_config",
           "write_runtime_config"]


def main(argv=None):
    return cli.main(argv, description=__doc__)


if __name__ == "__main__":
    sys.exit(main())
