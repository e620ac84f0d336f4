"""What every benchmark needs: the settings crmctl passes, and a database of its own.

The benchmarks are run by ``python3 scripts/crmctl.py bench NAME``, which exports
the embedded default's settings (addons path, config, data dir, database port
and user) as environment variables.
"""
import os
import subprocess
import sys
import time

SETTINGS = ("CRM_ADDONS_PATH", "CRM_CONFIG", "CRM_DATA_DIR", "CRM_DB_PORT", "CRM_DB_USER")


def env_settings(bench_name):
    missing = [name for name in SETTINGS if not os.environ.get(name)]
    if missing:
        sys.exit(f"run me through 'python3 scripts/crmctl.py bench {bench_name}' (missing {missing})")
    return {name: os.environ[name] for name in SETTINGS}


def admin_connection(settings):
    import psycopg2

    connection = psycopg2.connect(dbname="postgres", host="127.0.0.1", port=settings["CRM_DB_PORT"],
                                  user=settings["CRM_DB_USER"])
    connection.autocommit = True
    return connection


def database_exists(settings, db):
    connection = admin_connection(settings)
    with connection.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (db,))
        found = bool(cr.fetchone())
    connection.close()
    return found


def drop_database(settings, db):
    connection = admin_connection(settings)
    with connection.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')  # our own database name
    connection.close()


def create_database(settings, db, modules, template=None, extra_args=()):
    """Install ``modules`` without demo data into ``db`` (cloned from ``template`` if given)."""
    if template:
        connection = admin_connection(settings)
        with connection.cursor() as cr:
            cr.execute(f'CREATE DATABASE "{db}" TEMPLATE "{template}"')  # names from the command line
        connection.close()
    command = [
        sys.executable, "-m", "odoo", "server", "-c", settings["CRM_CONFIG"],
        "--addons-path", settings["CRM_ADDONS_PATH"], "--data-dir", settings["CRM_DATA_DIR"],
        "-d", db, "--db-filter", f"^{db}$", "-i", modules, "--without-demo",
        "--stop-after-init", "--http-port", "0", "--log-level", "warn", *extra_args,
    ]
    started = time.monotonic()
    subprocess.run(command, check=True)
    print(f"# installed {modules} into {db} in {time.monotonic() - started:.0f}s", flush=True)


def fresh_database(settings, args, modules, extra_args=()):
    """Create the benchmark's database unless --keep asks to reuse an existing one; True if created."""
    if args.keep and database_exists(settings, args.db):
        return False
    drop_database(settings, args.db)
    create_database(settings, args.db, modules, args.template, extra_args)
    return True


def open_registry(settings, db):
    """Odoo configured from crmctl's settings, and the registry of ``db`` (in this process)."""
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config([
        "-c", settings["CRM_CONFIG"], "--addons-path", settings["CRM_ADDONS_PATH"],
        "--data-dir", settings["CRM_DATA_DIR"], "--db_port", settings["CRM_DB_PORT"],
        "--db_user", settings["CRM_DB_USER"], "--log-level", "warn",
    ])
    return Registry(db)
