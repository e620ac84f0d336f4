"""Odoo: which one is importable, its command lines and runtime configuration, and the ``run``, ``stop``,
``clean`` and ``status`` commands."""

import configparser
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from . import cluster
from .common import (
    ADDONS_DIR,
    ADMIN_LOGIN,
    ADMIN_PASSWORD,
    CONFIG_FILE,
    DEMO_EXTRA_ADDONS,
    INSTALL_LOG,
    LANG_COMPANIES,
    LOCAL,
    ODOO_DATA,
    ODOO_LOG,
    ODOO_PID,
    PGDATA,
    PRODUCT_ADDONS,
    RUNTIME_CONFIG,
    SetupError,
    free_port,
    port_free,
    read_config,
    say,
)

# --------------------------------------------------------------------------- the importable Odoo


def odoo_version():
    """Return (version, None) or (None, reason) for the importable Odoo."""
    probe = subprocess.run(
        [sys.executable, "-c", "import odoo.release as r; print(r.version_info[0], r.version)"],
        capture_output=True, text=True, check=False,
    )
    if probe.returncode:
        last_line = (probe.stderr.strip().splitlines() or ["no error output"])[-1]
        return None, f"`import odoo` fails for {sys.executable} ({last_line})"
    major, version = probe.stdout.split(maxsplit=1)
    if major != "19":
        return None, f"the importable Odoo is {version.strip()}, the suite needs Odoo 19.0"
    return version.strip(), None


def require_odoo():
    version, reason = odoo_version()
    if reason:
        raise SetupError(
            f"Odoo 19.0 Community is not usable: {reason}.\n"
            "Install it into this Python following Odoo's own guide "
            "(https://www.odoo.com/documentation/19.0/administration/on_premise/source.html)."
        )
    return version


ADDONS_PATHS_PROBE = """\
import os, odoo, odoo.addons
root = os.path.dirname(list(odoo.__path__)[0])
paths = [os.path.join(root, 'addons')] + list(odoo.addons.__path__)
marker = lambda p: os.path.isdir(os.path.join(p, 'web')) or os.path.isdir(os.path.join(p, 'base'))
print('\\n'.join(p for p in paths if marker(p)))
"""


def odoo_addons_paths():
    """Odoo's own addons folders for the importable Odoo, then ours."""
    out = subprocess.run([sys.executable, "-c", ADDONS_PATHS_PROBE], capture_output=True, text=True,
                         check=True).stdout
    paths = []
    for path in out.split():
        path = os.path.realpath(path)
        if path not in paths and os.path.realpath(ADDONS_DIR) != path:
            paths.append(path)
    return paths + [str(ADDONS_DIR)]


def write_runtime_config(path=None):
    """``config/odoo.conf`` plus what depends on the machine, for tools that read one file (pytest-odoo)."""
    parser = configparser.ConfigParser(interpolation=None)
    if not parser.read(CONFIG_FILE):
        raise SetupError(f"Configuration file {CONFIG_FILE} is missing.")
    parser["options"]["addons_path"] = ",".join(odoo_addons_paths())
    parser["options"]["data_dir"] = str(ODOO_DATA)
    parser["options"]["dbfilter"] = ""
    parser["options"]["db_port"] = str(cluster.active_cluster().port)
    path = Path(path or RUNTIME_CONFIG)
    LOCAL.mkdir(exist_ok=True)
    with open(path, "w") as handle:
        handle.write("; written by scripts/crmctl.py from config/odoo.conf: do not edit\n")
        parser.write(handle)
    return path


def odoo_command(*args):
    """``odoo server`` on the active cluster with our configuration, addons path and data dir, then ``args``."""
    return [
        sys.executable, "-m", "odoo", "server",
        "-c", str(CONFIG_FILE),
        "--addons-path", ",".join(odoo_addons_paths()),
        "--data-dir", str(ODOO_DATA),
        "--db_port", str(cluster.active_cluster().port),
        *args,
    ]


def prefork_options(workers, cron_threads=None, gevent_port=None):
    """Odoo's prefork mode: ``workers`` HTTP worker processes, cron worker processes, the gevent bus."""
    if workers < 1:
        raise SetupError("--workers needs at least 1 HTTP worker (0 is Odoo's threaded mode, the default).")
    options = ["--workers", str(workers)]
    if cron_threads is not None:
        if cron_threads < 0:
            raise SetupError("--cron-workers cannot be negative.")
        options += ["--max-cron-threads", str(cron_threads)]
    if gevent_port is not None:
        options += ["--gevent-port", str(gevent_port)]
    return options


def odoo_replica_options(port):
    """Odoo 19 serves read-only requests (``@api.readonly``, readonly routes) from this replica."""
    return ["--db_replica_host", "127.0.0.1", "--db_replica_port", str(port)]


# --------------------------------------------------------------------------- Python inside Odoo

# the values go in as JSON on the command line, never into the code
RUN_IN_ODOO_PRELUDE = """\
import json, sys
import odoo
from odoo.fields import Command
from odoo.modules.registry import Registry
from odoo.tools import config
settings = json.loads(sys.argv[1])
values = settings["values"]
config.parse_config(settings["options"])
with Registry(settings["dbname"]).cursor() as cr:
    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
"""


def run_in_odoo(dbname, body, **values):
    """Run Python ``body`` (with ``env`` as superuser and ``values``) against ``dbname`` in a child process."""
    code = RUN_IN_ODOO_PRELUDE + "".join(f"    {line}\n" for line in body.splitlines())
    settings = {
        "dbname": dbname,
        "values": values,
        "options": ["-c", str(CONFIG_FILE), "--addons-path", ",".join(odoo_addons_paths()),
                    "--data-dir", str(ODOO_DATA), "--db_port", str(cluster.active_cluster().port),
                    "--log-level", "warn"],
    }
    return subprocess.run([sys.executable, "-c", code, json.dumps(settings)], check=False, capture_output=True,
                          text=True)


SET_ADMIN_LOGIN = "env.ref('base.user_admin').write({'login': values['login'], 'password': values['password']})"

SET_ADMIN_LANGUAGE = """\
company = values['company'] and env.ref(values['company'], raise_if_not_found=False)
if values['company'] and not company:
    raise SystemExit(f"the demo company {values['company']} is missing: the addon that creates it is not "
                     "installed with its demo data in this database")
env['res.lang']._activate_lang(values['lang'])
env['ir.module.module'].search([('state', '=', 'installed')])._update_translations([values['lang']])
admin = env.ref('base.user_admin')
admin.lang = values['lang']
if company:
    admin.write({'company_ids': [Command.link(company.id)], 'company_id': company.id})
"""


def set_admin_password(dbname):
    """Demo databases get the documented admin login (Odoo's default is admin/admin already)."""
    result = run_in_odoo(dbname, SET_ADMIN_LOGIN, login=ADMIN_LOGIN, password=ADMIN_PASSWORD)
    if result.returncode:
        raise SetupError(f"Setting the admin login failed: {result.stderr.strip()[-800:]}")


def set_admin_language(dbname, lang):
    """Load ``lang`` (e.g. ru_RU, uk_UA) with the suite's translations and give it to the admin, whose current
    company becomes the demo company of that language (:data:`LANG_COMPANIES`: Moscow, Kyiv)."""
    company = LANG_COMPANIES.get(lang)
    result = run_in_odoo(dbname, SET_ADMIN_LANGUAGE, lang=lang, company=company)
    if result.returncode:
        raise SetupError(f"Loading the language {lang} failed: {result.stderr.strip()[-800:]}")
    say(f"Language {lang} loaded; the admin user reads it" + (f" and works in {company}." if company else "."))


# --------------------------------------------------------------------------- run / stop / clean / status


def odoo_server_pid():
    if not ODOO_PID.exists():
        return None
    try:
        pid, port = (int(x) for x in ODOO_PID.read_text().split())
        os.kill(pid, 0)
    except (ValueError, ProcessLookupError):
        ODOO_PID.unlink()
        return None
    return pid, port


def run_odoo_step(dbname, what, *step):
    """Install or update addons of ``dbname`` (``step``: Odoo's -i/-u options), logging to install.log."""
    command = odoo_command("-d", dbname, *step, "--stop-after-init", "--http-port", str(free_port()),
                           "--logfile", str(INSTALL_LOG))
    if subprocess.run(command, check=False).returncode:
        raise SetupError(f"{what} failed; see {INSTALL_LOG}")


def prepare_demo_database(dbname, version, update):
    """The demo database: installed the first time, its missing demo addons installed, updated on request."""
    if not cluster.database_exists(dbname) or cluster.installed_addons(dbname, PRODUCT_ADDONS) != set(PRODUCT_ADDONS):
        say(f"Installing the CRM suite with demo data into database {dbname!r} (Odoo {version}); "
            "this takes a few minutes ...")
        run_odoo_step(dbname, "Installing the addons", "-i", ",".join(PRODUCT_ADDONS + DEMO_EXTRA_ADDONS),
                      "--with-demo")
        set_admin_password(dbname)
        return
    installed = cluster.installed_addons(dbname, DEMO_EXTRA_ADDONS)
    missing = [name for name in DEMO_EXTRA_ADDONS if name not in installed]
    step = []
    if update:
        say(f"Updating the CRM suite's addons in database {dbname!r} ...")
        step += ["-u", ",".join(PRODUCT_ADDONS)]
    if missing:
        # a demo database made by an earlier version of the suite: its new addons load their demo data too
        say(f"Installing {', '.join(missing)} into database {dbname!r} (new in the demo) ...")
        step += ["-i", ",".join(missing)]
    if step:
        run_odoo_step(dbname, "Updating the addons", *step)


def cmd_run(args):
    version = require_odoo()
    options = read_config()
    http_port = int(args.port or options["http_port"])
    dbname = options["db_name"]
    running = odoo_server_pid()
    if running:
        say(f"The CRM suite is already running (pid {running[0]}): http://localhost:{running[1]}/odoo")
        return 0
    if not port_free(http_port):
        raise SetupError(
            f"Port {http_port} on 127.0.0.1 is already in use. Stop what listens there, "
            f"or run on another port: python3 scripts/crmctl.py run --port 8070"
        )
    cluster.ensure_cluster()
    ODOO_DATA.mkdir(parents=True, exist_ok=True)
    prepare_demo_database(dbname, version, args.update)
    if args.lang:
        set_admin_language(dbname, args.lang)
    serve = odoo_command("-d", dbname, "--http-port", str(http_port))
    if args.workers is not None:
        gevent_port = args.gevent_port or int(options.get("gevent_port", 8072))
        if not port_free(gevent_port):
            raise SetupError(f"Port {gevent_port} (the bus, gevent) is already in use: choose another with "
                             "--gevent-port.")
        serve += prefork_options(args.workers, args.cron_workers, gevent_port)
        say(f"Prefork mode: {args.workers} HTTP worker(s), "
            f"{args.cron_workers if args.cron_workers is not None else options.get('max_cron_threads', 2)} cron "
            f"worker(s), bus on port {gevent_port}.")
    if args.replica:
        replica_port = cluster.ensure_replica()
        serve += odoo_replica_options(replica_port)
        say(f"Read-only requests are served from the replica on 127.0.0.1:{replica_port}.")
    say(f"\nCRM suite: http://localhost:{http_port}/odoo  login: {ADMIN_LOGIN}  password: {ADMIN_PASSWORD}  "
        f"database: {dbname}\n")
    if args.detach:
        return serve_detached(serve, http_port)
    os.execv(serve[0], serve)  # noqa: S606 - replace this process by the server, arguments are ours
    return 0


def serve_detached(serve, http_port):
    ODOO_PID.parent.mkdir(parents=True, exist_ok=True)
    with open(ODOO_LOG, "ab") as log:
        process = subprocess.Popen([*serve, "--logfile", str(ODOO_LOG)], stdout=log, stderr=log,
                                   start_new_session=True)
    ODOO_PID.write_text(f"{process.pid} {http_port}")
    for _ in range(120):
        if not port_free(http_port):
            say(f"Serving in the background (pid {process.pid}, log {ODOO_LOG}); "
                "stop with: python3 scripts/crmctl.py stop")
            return 0
        if process.poll() is not None:
            raise SetupError(f"The Odoo server exited; see {ODOO_LOG}")
        time.sleep(1)
    raise SetupError(f"The Odoo server did not open port {http_port} within 2 minutes; see {ODOO_LOG}")


def cmd_stop(_args):
    running = odoo_server_pid()
    if running:
        pid = running[0]
        os.killpg(os.getpgid(pid), signal.SIGTERM)
        for _ in range(30):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, 0)
                time.sleep(0.5)
                continue
            break
        ODOO_PID.unlink(missing_ok=True)
        say(f"Odoo server (pid {pid}) stopped.")
    replica = cluster.replica_cluster()
    if (replica.pgdata / "PG_VERSION").exists() and cluster.pg_running(cluster.pg_bindir(), replica.pgdata):
        cluster.stop_cluster(replica)
        say("(that was the replica)")
    cluster.stop_cluster()
    return 0


def cmd_clean(args):
    cmd_stop(args)
    if LOCAL.exists():
        shutil.rmtree(LOCAL)
        say(f"Removed {LOCAL}.")
    return 0


def cmd_status(_args):
    read_config()  # fails early with a clear message when the configuration is missing
    version, reason = odoo_version()
    say(f"Odoo: {version or reason}")
    try:
        say(f"PostgreSQL binaries: {cluster.pg_bindir()}")
        say(f"Cluster: {'running' if cluster.pg_running(cluster.pg_bindir()) else 'stopped'} ({PGDATA})")
        say(f"Replica: {cluster.replica_status()}")
    except SetupError as exc:
        say(str(exc))
    running = odoo_server_pid()
    state = (f"running, pid {running[0]}, http://localhost:{running[1]}/odoo" if running
             else "not running in the background")
    say(f"Odoo server: {state}")
    return 0
