"""Paths, configuration and messages shared by every crmctl command."""

import configparser
import os
import socket
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
ADDONS_DIR = ROOT / "addons"
CONFIG_FILE = ROOT / "config" / "odoo.conf"
LOCAL = ROOT / ".local"
PGDATA = LOCAL / "pgdata"
PGRUN = LOCAL / "pgrun"
PGLOG = LOCAL / "log" / "postgresql.log"
ODOO_DATA = LOCAL / "odoo-data"
ODOO_PID = LOCAL / "run" / "odoo.pid"
CLOCK_PGDATA = LOCAL / f"pgdata-clock-{os.getpid()}"  # the throwaway cluster of `test --at`, one per run
RUNTIME_CONFIG = LOCAL / "odoo-runtime.conf"
ODOO_LOG = LOCAL / "log" / "odoo.log"
INSTALL_LOG = LOCAL / "log" / "install.log"
TEST_LOG_DIR = LOCAL / "log" / "tests"
REPLICA_PGDATA = LOCAL / "pgdata-replica"
REPLICA_LOG = LOCAL / "log" / "postgresql-replica.log"
REPLICA_SLOT = "crm_replica"  # physical slot: the primary keeps the WAL the replica has not received yet
REPLICA_SLOT_MAX_WAL = "2GB"  # ... but never more than this when the replica stays stopped

# the product: installed by `run`, tested by `test` (bridges install themselves
# when their dependencies are present, test addons only exist for the suite)
PRODUCT_ADDONS = ["crm_core", "crm_marketing", "crm_service", "crm_analytics"]
# the demo also shows manufacturing (with sale_mrp present the crm_core_mrp bridge installs itself)
# and a Ukrainian company in Kyiv in UAH on Odoo's l10n_ua (crm_l10n_ua turns l10n_ua's demo company into it)
DEMO_EXTRA_ADDONS = ["sale_mrp", "crm_l10n_ua"]
# `run --lang X` also makes this company the admin's current one (the others stay in the admin's companies)
LANG_COMPANIES = {"ru_RU": "base.main_company", "uk_UA": "base.demo_company_ua"}
# the last released state: `test` checks that a demo database it made upgrades in place
UPGRADE_FROM = "6435686"
ADMIN_LOGIN = "admin"
ADMIN_PASSWORD = "admin"  # noqa: S105 - the demo database's documented login


class SetupError(Exception):
    """A bad set-up: printed as one clear message, never as a traceback."""


def say(message=""):
    print(message, flush=True)


def banner(message):
    line = "=" * 78
    say(f"\n{line}\n{message}\n{line}")


def read_config():
    parser = configparser.ConfigParser(interpolation=None)
    if not parser.read(CONFIG_FILE):
        raise SetupError(f"Configuration file {CONFIG_FILE} is missing.")
    return parser["options"]


def port_free(port, host="127.0.0.1"):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
