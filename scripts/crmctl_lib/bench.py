"""``bench`` and ``soak``: launchers of the scripts in scripts/bench, with the settings they read from the
environment (see scripts/bench/benchlib.py)."""

import os
import sys

from . import cluster
from .common import CONFIG_FILE, LOCAL, ODOO_DATA, ROOT, SetupError, banner, read_config
from .odoo_server import odoo_addons_paths, require_odoo
from .runner import run_logged

BENCH_DIR = ROOT / "scripts" / "bench"


def bench_env(**extra):
    """What every benchmark script reads: Odoo's addons path, configuration, data dir and database."""
    options = read_config()
    return dict(os.environ, CRM_ADDONS_PATH=",".join(odoo_addons_paths()), CRM_CONFIG=str(CONFIG_FILE),
                CRM_DATA_DIR=str(ODOO_DATA), CRM_DB_PORT=options["db_port"], CRM_DB_USER=options["db_user"], **extra)


def chosen_benches(names):
    """The bench_*.py scripts whose name contains one of ``names`` (all of them without names)."""
    benches = sorted(BENCH_DIR.glob("bench_*.py"))
    chosen = [b for b in benches if not names or any(n in b.stem for n in names)]
    if not chosen:
        raise SetupError(f"No benchmark matches {names}; available: {[b.stem for b in benches]}")
    return chosen


def cmd_bench(args):
    require_odoo()
    cluster.ensure_cluster()
    ODOO_DATA.mkdir(parents=True, exist_ok=True)
    chosen = chosen_benches(args.names)
    env = bench_env()
    rc = 0
    for bench in chosen:
        banner(f"Benchmark {bench.stem}")
        rc |= run_logged([sys.executable, str(bench), *(args.extra or [])], env=env)
    return rc


def cmd_soak(args):
    """Two prefork Odoo servers on the primary + replica under load, then invariants (scripts/bench/soak.py)."""
    require_odoo()
    cluster.ensure_cluster()
    replica_port = cluster.ensure_replica()
    ODOO_DATA.mkdir(parents=True, exist_ok=True)
    env = bench_env(CRM_REPLICA_PORT=str(replica_port), CRM_LOG_DIR=str(LOCAL / "log"))
    banner("Soak: several Odoo servers, one primary and its replica")
    return run_logged([sys.executable, str(BENCH_DIR / "soak.py"), *(args.extra or [])], env=env)
