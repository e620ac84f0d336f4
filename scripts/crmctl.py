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
"""

import argparse
import configparser
import contextlib
import datetime
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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
TEST_LOG_DIR = LOCAL / "log" / "tests"
REPLICA_PGDATA = LOCAL / "pgdata-replica"
REPLICA_LOG = LOCAL / "log" / "postgresql-replica.log"
REPLICA_SLOT = "crm_replica"  # physical slot: the primary keeps the WAL the replica has not received yet
REPLICA_SLOT_MAX_WAL = "2GB"  # ... but never more than this when the replica stays stopped

# the product: installed by `run`, tested by `test` (bridges install themselves
# when their dependencies are present, test addons only exist for the suite)
PRODUCT_ADDONS = ["crm_core", "crm_marketing", "crm_service", "crm_analytics"]
# the demo also shows manufacturing: with sale_mrp present the crm_core_mrp bridge installs itself
DEMO_EXTRA_ADDONS = ["sale_mrp"]
ADMIN_LOGIN = "admin"
ADMIN_PASSWORD = "admin"  # noqa: S105 - the demo database's documented login


class SetupError(Exception):
    """A bad set-up: printed as one clear message, never as a traceback."""


def say(message=""):
    print(message, flush=True)


def banner(message):
    line = "=" * 78
    say(f"\n{line}\n{message}\n{line}")


# --------------------------------------------------------------------------- configuration


def read_config():
    parser = configparser.ConfigParser(interpolation=None)
    if not parser.read(CONFIG_FILE):
        raise SetupError(f"Configuration file {CONFIG_FILE} is missing.")
    return parser["options"]


def odoo_version():
    """Return (version_info, None) or (None, reason) for the importable Odoo."""
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


def odoo_addons_paths():
    """Odoo's own addons folders for the importable Odoo, then ours."""
    code = (
        "import os, odoo, odoo.addons\n"
        "root = os.path.dirname(list(odoo.__path__)[0])\n"
        "paths = [os.path.join(root, 'addons')] + list(odoo.addons.__path__)\n"
        "print('\\n'.join(p for p in paths if os.path.isdir(os.path.join(p, 'web')) or os.path.isdir(os.path.join(p, 'base'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
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
    parser["options"]["db_port"] = str(active_cluster().port)
    path = Path(path or RUNTIME_CONFIG)
    LOCAL.mkdir(exist_ok=True)
    with open(path, "w") as handle:
        handle.write("; written by scripts/crmctl.py from config/odoo.conf: do not edit\n")
        parser.write(handle)
    return path


def odoo_command(options, *args):
    return [
        sys.executable, "-m", "odoo", "server",
        "-c", str(CONFIG_FILE),
        "--addons-path", ",".join(odoo_addons_paths()),
        "--data-dir", str(ODOO_DATA),
        "--db_port", str(active_cluster().port),
        *args,
    ]


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


# --------------------------------------------------------------------------- a shifted clock (faketime)

AT_FORMAT = "%Y-%m-%d %H:%M"
LIBFAKETIME_GLOBS = ("/usr/lib/*/faketime/libfaketimeMT.so.1", "/usr/lib/faketime/libfaketimeMT.so.1")


def parse_at(value):
    """``--at "YYYY-MM-DD HH:MM"`` (UTC) -> the instant, or a clear error."""
    try:
        return datetime.datetime.strptime(value.strip(), AT_FORMAT)
    except ValueError:
        raise SetupError(f"--at {value!r}: write the instant as \"YYYY-MM-DD HH:MM\" in UTC, e.g. \"2027-03-28 01:30\".")


def libfaketime():
    for pattern in LIBFAKETIME_GLOBS:
        found = sorted(Path("/").glob(pattern.lstrip("/")))
        if found:
            return found[0]
    raise SetupError("--at needs Debian's libfaketime (apt-get install faketime); .ci/run installs it.")


def faketime_env(at):
    """Environment that shifts the clock of Odoo and PostgreSQL so that it reads ``at`` (UTC) now.

    The shift is one fixed offset for every process started with it, so Odoo's
    and PostgreSQL's clocks agree to the millisecond and run on from ``at``;
    monotonic clocks stay real so that timeouts behave.  Chromium crashes under
    libfaketime: the tours shift the browser's ``Date`` by ``CRM_CLOCK_OFFSET``
    instead (crm_core/tests/common_tour.py).
    """
    if at is None:
        return {}
    offset = round((at.replace(tzinfo=datetime.timezone.utc) - datetime.datetime.now(datetime.timezone.utc)).total_seconds())
    return {
        "LD_PRELOAD": str(libfaketime()),
        "FAKETIME": f"{offset:+d}",
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
        "CRM_CLOCK_OFFSET": str(offset),
        "TZ": "UTC",
        # time.sleep through select: libfaketime breaks CPython's clock_nanosleep (see the module)
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "scripts" / "faketime_site"), os.environ.get("PYTHONPATH")])),
    }


# --------------------------------------------------------------------------- PostgreSQL cluster


def pg_bindir():
    candidates = []
    env_dir = os.environ.get("CRM_PG_BINDIR")
    if env_dir:
        candidates.append(Path(env_dir))
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, reverse=True)
    candidates += versions
    which = shutil.which("pg_ctl")
    if which:
        candidates.append(Path(os.path.realpath(which)).parent)
    for candidate in candidates:
        if (candidate / "pg_ctl").exists() and (candidate / "initdb").exists() and (candidate / "postgres").exists():
            return candidate
    raise SetupError(
        "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found in /usr/lib/postgresql/*/bin "
        "nor on PATH. Install Debian's server package: apt-get install postgresql"
    )


def pg_os_user():
    """The unprivileged OS user that owns and runs the cluster when we are root."""
    if os.geteuid() != 0:
        return None
    name = os.environ.get("CRM_PG_OS_USER", "postgres")
    try:
        return pwd.getpwnam(name)
    except KeyError:
        try:
            return pwd.getpwnam("nobody")
        except KeyError as exc:
            raise SetupError("Running as root needs an unprivileged user for PostgreSQL (postgres or nobody).") from exc


def as_pg_user(cmd):
    user = pg_os_user()
    if user is None:
        return cmd
    return ["runuser", "-u", user.pw_name, "--", *cmd]


def chown_for_pg(*paths):
    user = pg_os_user()
    for path in paths:
        path.mkdir(parents=True, exist_ok=True)
        if user is not None:
            os.chown(path, user.pw_uid, user.pw_gid)


class Cluster:
    """A local PostgreSQL cluster: the embedded default, or a throwaway one on a shifted clock."""

    def __init__(self, pgdata, port, log, clock_env=None):
        self.pgdata, self.port, self.log = Path(pgdata), int(port), Path(log)
        self.clock_env = clock_env or {}


def default_cluster():
    return Cluster(PGDATA, read_config()["db_port"], PGLOG)


# the cluster the commands of this process talk to (``test --at`` switches to a throwaway one)
_active_cluster = None


def active_cluster():
    global _active_cluster  # one cluster per command, chosen once
    if _active_cluster is None:
        _active_cluster = default_cluster()
    return _active_cluster


def pg_running(bindir, pgdata=None):
    pgdata = Path(pgdata or PGDATA)
    if not (pgdata / "PG_VERSION").exists():
        return False
    result = subprocess.run(as_pg_user([str(bindir / "pg_ctl"), "-D", str(pgdata), "status"]), capture_output=True, text=True, check=False)
    return result.returncode == 0


def remove_stale_pid(pgdata=None):
    pid_file = Path(pgdata or PGDATA) / "postmaster.pid"
    if not pid_file.exists():
        return
    try:
        pid = int(pid_file.read_text().split()[0])
        os.kill(pid, 0)
    except (ValueError, IndexError, ProcessLookupError):
        say(f"Removing a stale PostgreSQL lock file {pid_file} (its server is gone).")
        pid_file.unlink()
    except PermissionError:
        pass  # alive, owned by another user


def ensure_cluster(cluster=None):
    """Create (first time) and start a local cluster (default: the embedded one); return its port.

    A cluster with a ``clock_env`` (from :func:`faketime_env`) runs PostgreSQL on
    the shifted clock, so that its ``now()`` agrees with Odoo's.
    """
    cluster = cluster or active_cluster()
    options = read_config()
    port, pgdata, pglog = cluster.port, cluster.pgdata, cluster.log
    user = options["db_user"]
    bindir = pg_bindir()
    LOCAL.mkdir(exist_ok=True)
    (LOCAL / "log").mkdir(exist_ok=True)
    (LOCAL / "run").mkdir(exist_ok=True)
    if not (pgdata / "PG_VERSION").exists():
        say(f"Creating the PostgreSQL cluster in {pgdata} ({bindir.parent.name}) ...")
        chown_for_pg(pgdata, PGRUN, pglog.parent)
        pw_user = pg_os_user()
        if pw_user is not None:
            # the cluster's owner must be able to reach its folder
            for parent in [LOCAL, *LOCAL.parents]:
                if not os.access(parent, os.X_OK) or (parent.stat().st_mode & 0o001) == 0:
                    if parent.stat().st_uid == 0 and parent != Path("/"):
                        os.chmod(parent, parent.stat().st_mode | 0o001)
        result = subprocess.run(
            as_pg_user([str(bindir / "initdb"), "-D", str(pgdata), "-U", user, "--auth=trust", "--encoding=UTF8", "--no-locale"]),
            capture_output=True, text=True, check=False,
        )
        if result.returncode:
            raise SetupError(f"initdb failed:\n{result.stdout}\n{result.stderr}")
    if pg_running(bindir, pgdata):
        return port
    remove_stale_pid(pgdata)
    if not port_free(port):
        raise SetupError(
            f"Port {port} on 127.0.0.1 is used by another program, so the local PostgreSQL cannot start. "
            f"Stop that program or change db_port in {CONFIG_FILE}."
        )
    chown_for_pg(PGRUN, pglog.parent)
    if pglog.exists() and pg_os_user() is not None:
        os.chown(pglog, pg_os_user().pw_uid, pg_os_user().pw_gid)
    options_arg = f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={PGRUN} -c fsync=off -c full_page_writes=off -c max_connections=200"
    result = subprocess.run(
        as_pg_user([str(bindir / "pg_ctl"), "-D", str(pgdata), "-l", str(pglog), "-o", options_arg, "-w", "-t", "60", "start"]),
        capture_output=True, text=True, check=False, env=dict(os.environ, **cluster.clock_env),
    )
    if result.returncode:
        tail = pglog.read_text(errors="replace").splitlines()[-15:] if pglog.exists() else []
        raise SetupError("PostgreSQL did not start:\n" + result.stdout + result.stderr + "\n".join(tail))
    clock = cluster.clock_env.get("FAKETIME")
    say(f"PostgreSQL is running on 127.0.0.1:{port} (data in {pgdata})" + (f", clock {clock!r}." if clock else "."))
    return port


def stop_cluster(cluster=None):
    cluster = cluster or active_cluster()
    if not (cluster.pgdata / "PG_VERSION").exists():
        return
    bindir = pg_bindir()
    if pg_running(bindir, cluster.pgdata):
        subprocess.run(as_pg_user([str(bindir / "pg_ctl"), "-D", str(cluster.pgdata), "-m", "fast", "-w", "stop"]), check=False)
        say("PostgreSQL stopped.")


def psql(sql, dbname="postgres", **variables):
    """Run ``sql`` with psql; values go in as psql variables, never into the text: write ``:'name'``
    for a literal and ``:"name"`` for an identifier (psql quotes them)."""
    options = read_config()
    env = dict(os.environ, PGHOST="127.0.0.1", PGPORT=str(active_cluster().port), PGUSER=options["db_user"])
    psql_bin = shutil.which("psql") or str(pg_bindir() / "psql")
    command = [psql_bin, "-X", "-qAt", "-v", "ON_ERROR_STOP=1", "-d", dbname]
    for name, value in variables.items():
        command += ["-v", f"{name}={value}"]
    # read from stdin: psql does not interpolate variables in a -c command
    result = subprocess.run(command, input=sql.rstrip().rstrip(";") + ";\n", capture_output=True, text=True, env=env,
                            check=False)
    if result.returncode:
        raise SetupError(f"psql failed: {result.stderr.strip()}")
    return result.stdout.strip()


def database_exists(name):
    return psql("SELECT 1 FROM pg_database WHERE datname = :'name'", name=name) == "1"


def drop_database(name):
    if database_exists(name):
        psql('DROP DATABASE :"name" WITH (FORCE)', name=name)


def installed_addons(dbname):
    out = psql("SELECT name FROM ir_module_module WHERE state = 'installed' "
               "AND name = ANY(string_to_array(:'names', ','))", dbname, names=",".join(PRODUCT_ADDONS))
    return set(out.split())


# --------------------------------------------------------------------------- streaming replica


def replica_cluster():
    """The hot standby of the embedded default: a copy of its cluster on the next port."""
    return Cluster(REPLICA_PGDATA, int(read_config()["db_port"]) + 1, REPLICA_LOG)


def pg_connect(port, dbname="postgres"):
    """An autocommit connection to a local cluster as the configured user."""
    import psycopg2

    connection = psycopg2.connect(dbname=dbname, host="127.0.0.1", port=port, user=read_config()["db_user"],
                                  connect_timeout=5)
    connection.autocommit = True
    return connection


def pg_query(port, query, params=None, dbname="postgres"):
    connection = pg_connect(port, dbname)
    try:
        with connection.cursor() as cr:
            cr.execute(query, params)
            return cr.fetchall() if cr.description else []
    finally:
        connection.close()


def basebackup_command(bindir, port, user, target, slot, create_slot):
    """``pg_basebackup -R``: a copy of the running primary that starts as its standby."""
    command = [str(bindir / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(port), "-U", user, "-D", str(target),
               "-R", "-X", "stream", "-c", "fast", "-S", slot]
    if create_slot:
        command.append("-C")
    return command


def replica_server_options(port):
    """The standby's ``postgres -c`` options: loopback only, readable while it replays."""
    return (
        f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={PGRUN} -c fsync=off "
        "-c max_connections=200 -c hot_standby=on -c hot_standby_feedback=on "
        "-c max_standby_streaming_delay=30s"
    )


def ensure_replica():
    """Create (first time, from the running primary) and start the streaming replica; return its port."""
    from psycopg2 import sql

    options = read_config()
    primary = ensure_cluster()
    replica = replica_cluster()
    bindir = pg_bindir()
    slots = pg_query(primary, sql.SQL("SELECT 1 FROM pg_replication_slots WHERE slot_name = {}").format(
        sql.Literal(REPLICA_SLOT)))
    if not (replica.pgdata / "PG_VERSION").exists():
        if not port_free(replica.port):
            raise SetupError(f"Port {replica.port} on 127.0.0.1 (the replica's: db_port + 1) is used by another "
                             "program; stop it first.")
        settings = dict(pg_query(primary, "SELECT name, setting FROM pg_settings WHERE name IN "
                                          "('wal_level', 'max_wal_senders')"))
        if settings.get("wal_level") == "minimal" or int(settings.get("max_wal_senders", 0)) < 2:
            raise SetupError("The primary cannot stream its WAL (wal_level=minimal or max_wal_senders < 2): "
                             f"set wal_level=replica and max_wal_senders=10 in {PGDATA}/postgresql.conf, "
                             "then restart it (crmctl stop; crmctl run).")
        say(f"Copying the primary into {replica.pgdata} (pg_basebackup -R, slot {REPLICA_SLOT}) ...")
        shutil.rmtree(replica.pgdata, ignore_errors=True)
        chown_for_pg(replica.pgdata, PGRUN, replica.log.parent)
        os.chmod(replica.pgdata, 0o700)
        result = subprocess.run(
            as_pg_user(basebackup_command(bindir, primary, options["db_user"], replica.pgdata, REPLICA_SLOT,
                                          create_slot=not slots)),
            capture_output=True, text=True, check=False)
        if result.returncode:
            shutil.rmtree(replica.pgdata, ignore_errors=True)
            raise SetupError(f"pg_basebackup failed:\n{result.stdout}\n{result.stderr}")
        # a stopped replica must not fill the primary's disk with WAL kept for it
        pg_query(primary, sql.SQL("ALTER SYSTEM SET max_slot_wal_keep_size = {}").format(
            sql.Literal(REPLICA_SLOT_MAX_WAL)))
        pg_query(primary, "SELECT pg_reload_conf()")
    if pg_running(bindir, replica.pgdata):
        return replica.port
    remove_stale_pid(replica.pgdata)
    if replica.log.exists() and pg_os_user() is not None:
        os.chown(replica.log, pg_os_user().pw_uid, pg_os_user().pw_gid)
    result = subprocess.run(
        as_pg_user([str(bindir / "pg_ctl"), "-D", str(replica.pgdata), "-l", str(replica.log),
                    "-o", replica_server_options(replica.port), "-w", "-t", "120", "start"]),
        capture_output=True, text=True, check=False)
    if result.returncode:
        tail = replica.log.read_text(errors="replace").splitlines()[-15:] if replica.log.exists() else []
        raise SetupError("The PostgreSQL replica did not start:\n" + result.stdout + result.stderr + "\n".join(tail))
    say(f"PostgreSQL replica (hot standby) is running on 127.0.0.1:{replica.port} (data in {replica.pgdata}).")
    return replica.port


def odoo_replica_options(port):
    """Odoo 19 serves read-only requests (``@api.readonly``, readonly routes) from this replica."""
    return ["--db_replica_host", "127.0.0.1", "--db_replica_port", str(port)]


def replication_lag(primary_port, replica_port):
    """(bytes not replayed yet, seconds since the last replayed transaction, replayed LSN) of the replica."""
    from psycopg2 import sql

    (replayed, age), = pg_query(replica_port, "SELECT pg_last_wal_replay_lsn()::text, "
                                              "EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())")
    if replayed is None:
        return None, None, None
    (behind,), = pg_query(primary_port, sql.SQL("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), {}::pg_lsn)").format(
        sql.Literal(replayed)))
    return int(behind), (float(age) if age is not None else None), replayed


def format_lag(behind_bytes, age_seconds, replayed_lsn=None):
    """One line for ``status``: how far the replica is behind, in WAL and in time."""
    if behind_bytes is None:
        return "lag unknown (the replica has not replayed anything yet)"
    size = float(max(behind_bytes, 0))
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            break
        size /= 1024
    text = f"lag {size:.0f} {unit}" if unit == "B" else f"lag {size:.1f} {unit}"
    if replayed_lsn:
        text += f" (replayed up to {replayed_lsn})"
    if age_seconds is not None:
        text += f", last transaction replayed {age_seconds:.1f} s ago"
        if behind_bytes == 0:
            text += " (the primary has written nothing since)"
    return text


def replica_status():
    """``status``: the replica, its port and how far it is behind the primary."""
    replica = replica_cluster()
    if not (replica.pgdata / "PG_VERSION").exists():
        return "none (crmctl run --replica creates one)"
    if not pg_running(pg_bindir(), replica.pgdata):
        return f"stopped (port {replica.port}, data in {replica.pgdata})"
    try:
        lag = format_lag(*replication_lag(active_cluster().port, replica.port))
    except Exception as exc:  # status reports, it does not fail
        lag = f"lag unknown ({str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__})"
    return f"running on 127.0.0.1:{replica.port} (data in {replica.pgdata}), {lag}"


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


# --------------------------------------------------------------------------- run / stop / clean


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
    ensure_cluster()
    ODOO_DATA.mkdir(parents=True, exist_ok=True)
    if not database_exists(dbname) or installed_addons(dbname) != set(PRODUCT_ADDONS):
        say(f"Installing the CRM suite with demo data into database {dbname!r} (Odoo {version}); this takes a few minutes ...")
        install = odoo_command(options, "-d", dbname, "-i", ",".join(PRODUCT_ADDONS + DEMO_EXTRA_ADDONS), "--with-demo",
                               "--stop-after-init", "--http-port", str(free_port()), "--logfile", str(LOCAL / "log" / "install.log"))
        if subprocess.run(install, check=False).returncode:
            raise SetupError(f"Installing the addons failed; see {LOCAL / 'log' / 'install.log'}")
        set_admin_password(options, dbname)
    elif args.update:
        say(f"Updating the CRM suite's addons in database {dbname!r} ...")
        update = odoo_command(options, "-d", dbname, "-u", ",".join(PRODUCT_ADDONS), "--stop-after-init",
                              "--http-port", str(free_port()), "--logfile", str(LOCAL / "log" / "install.log"))
        if subprocess.run(update, check=False).returncode:
            raise SetupError(f"Updating the addons failed; see {LOCAL / 'log' / 'install.log'}")
    if args.lang:
        set_admin_language(options, dbname, args.lang)
    serve = odoo_command(options, "-d", dbname, "--http-port", str(http_port))
    if args.workers is not None:
        gevent_port = args.gevent_port or int(options.get("gevent_port", 8072))
        if not port_free(gevent_port):
            raise SetupError(f"Port {gevent_port} (the bus, gevent) is already in use: choose another with --gevent-port.")
        serve += prefork_options(args.workers, args.cron_workers, gevent_port)
        say(f"Prefork mode: {args.workers} HTTP worker(s), "
            f"{args.cron_workers if args.cron_workers is not None else options.get('max_cron_threads', 2)} cron "
            f"worker(s), bus on port {gevent_port}.")
    if args.replica:
        replica_port = ensure_replica()
        serve += odoo_replica_options(replica_port)
        say(f"Read-only requests are served from the replica on 127.0.0.1:{replica_port}.")
    say(f"\nCRM suite: http://localhost:{http_port}/odoo  login: {ADMIN_LOGIN}  password: {ADMIN_PASSWORD}  database: {dbname}\n")
    if args.detach:
        ODOO_PID.parent.mkdir(parents=True, exist_ok=True)
        with open(ODOO_LOG, "ab") as log:
            process = subprocess.Popen([*serve, "--logfile", str(ODOO_LOG)], stdout=log, stderr=log, start_new_session=True)
        ODOO_PID.write_text(f"{process.pid} {http_port}")
        for _ in range(120):
            if not port_free(http_port):
                say(f"Serving in the background (pid {process.pid}, log {ODOO_LOG}); stop with: python3 scripts/crmctl.py stop")
                return 0
            if process.poll() is not None:
                raise SetupError(f"The Odoo server exited; see {ODOO_LOG}")
            time.sleep(1)
        raise SetupError(f"The Odoo server did not open port {http_port} within 2 minutes; see {ODOO_LOG}")
    os.execv(serve[0], serve)  # noqa: S606 - replace this process by the server, arguments are ours
    return 0


def run_in_odoo(options, dbname, body):
    """Run Python ``body`` (with ``env`` as superuser) against ``dbname`` in a child process."""
    code = (
        "import odoo\nfrom odoo.tools import config\nfrom odoo.modules.registry import Registry\n"
        f"config.parse_config({['-c', str(CONFIG_FILE), '--addons-path', ','.join(odoo_addons_paths()), '--data-dir', str(ODOO_DATA), '--log-level', 'warn']!r})\n"
        f"with Registry({dbname!r}).cursor() as cr:\n"
        "    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})\n"
        + "".join(f"    {line}\n" for line in body.splitlines())
    )
    return subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True)


def set_admin_password(options, dbname):
    """Demo databases get the documented admin login (Odoo's default is admin/admin already)."""
    result = run_in_odoo(
        options, dbname, f"env.ref('base.user_admin').write({{'login': {ADMIN_LOGIN!r}, 'password': {ADMIN_PASSWORD!r}}})")
    if result.returncode:
        raise SetupError(f"Setting the admin login failed: {result.stderr.strip()[-800:]}")


def set_admin_language(options, dbname, lang):
    """Load ``lang`` (e.g. ru_RU, uk_UA) with the suite's translations and give it to the admin."""
    body = (
        f"env['res.lang']._activate_lang({lang!r})\n"
        f"modules = env['ir.module.module'].search([('state', '=', 'installed')])\n"
        f"modules._update_translations([{lang!r}])\n"
        f"env.ref('base.user_admin').lang = {lang!r}"
    )
    result = run_in_odoo(options, dbname, body)
    if result.returncode:
        raise SetupError(f"Loading the language {lang} failed: {result.stderr.strip()[-800:]}")
    say(f"Language {lang} loaded; the admin user reads it.")


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
    replica = replica_cluster()
    if (replica.pgdata / "PG_VERSION").exists() and pg_running(pg_bindir(), replica.pgdata):
        stop_cluster(replica)
        say("(that was the replica)")
    stop_cluster()
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
        say(f"PostgreSQL binaries: {pg_bindir()}")
        say(f"Cluster: {'running' if pg_running(pg_bindir()) else 'stopped'} ({PGDATA})")
        say(f"Replica: {replica_status()}")
    except SetupError as exc:
        say(str(exc))
    running = odoo_server_pid()
    state = f"running, pid {running[0]}, http://localhost:{running[1]}/odoo" if running else "not running in the background"
    say(f"Odoo server: {state}")
    return 0


# --------------------------------------------------------------------------- test


class Tally:
    def __init__(self):
        self.passed = self.failed = self.skipped = 0
        self.lines = []

    def add(self, label, passed=0, failed=0, skipped=0, note=""):
        self.passed += passed
        self.failed += failed
        self.skipped += skipped
        self.lines.append(f"{label:<44} {passed:>5} passed {failed:>4} failed {skipped:>4} skipped  {note}")


def run_logged(cmd, log_path=None, env=None):
    say("$ " + " ".join(cmd[:6]) + (" ..." if len(cmd) > 6 else ""))
    if log_path is None:
        return subprocess.run(cmd, cwd=ROOT, env=env, check=False).returncode
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w") as log:
        return subprocess.run(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, check=False).returncode


def lint_step(tally):
    targets = ["addons", "tests", "scripts"]
    ruff = run_logged([sys.executable, "-m", "ruff", "check", *targets])
    tally.add("lint: ruff", passed=int(ruff == 0), failed=int(ruff != 0))
    addons = sorted(str(p.parent) for p in ADDONS_DIR.glob("*/__manifest__.py"))
    pylint = run_logged([sys.executable, "-m", "pylint", "--rcfile", str(ROOT / ".pylintrc"), *addons])
    tally.add("lint: pylint-odoo", passed=int(pylint == 0), failed=int(pylint != 0))


def pure_step(tally):
    log = TEST_LOG_DIR / "pure.log"
    rc = run_logged([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:odoo", "tests"], log)
    text = log.read_text(errors="replace")
    say("\n".join(text.strip().splitlines()[-3:]))
    counts = dict.fromkeys(("passed", "failed", "error", "errors", "skipped"), 0)
    summary = [line for line in text.splitlines() if re.search(r"\d+ (passed|failed)", line)]
    if summary:
        for number, word in re.findall(r"(\d+) (passed|failed|errors?|skipped)", summary[-1]):
            counts[word] += int(number)
    failed = counts["failed"] + counts["error"] + counts["errors"]
    if rc not in (0, 5) and not failed:
        failed = 1
        say(text[-3000:])
    elif failed:
        say("\n".join(line for line in text.splitlines() if line.startswith(("FAILED", "ERROR")))[:6000])
    tally.add("pure-logic tests (tests/)", counts["passed"], failed, counts["skipped"])


def suite_addons():
    """Every addon of ours: product, bridges and test-only addons."""
    return sorted(p.parent.name for p in ADDONS_DIR.glob("*/__manifest__.py"))


LOG_LINE = re.compile(r"^\S+ \S+ \d+ (?P<level>[A-Z]+) (?P<db>\S+) (?P<logger>\S+): (?P<msg>.*)$")
RESULT_LINE = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")


def clone_template(template, dbname):
    """Development shortcut: start from a database that already has Odoo's modules."""
    psql('CREATE DATABASE :"name" TEMPLATE :"template"', name=dbname, template=template)
    source = ODOO_DATA / "filestore" / template
    if source.exists():
        shutil.copytree(source, ODOO_DATA / "filestore" / dbname, dirs_exist_ok=True)


def odoo_step(tally, with_demo, args):
    options = read_config()
    mode = "demo" if with_demo else "nodemo"
    dbname = f"{args.db or ('crm_at' if args.at else 'crm_test')}_{mode}"
    drop_database(dbname)
    shutil.rmtree(ODOO_DATA / "filestore" / dbname, ignore_errors=True)
    if args.template:
        clone_template(args.template, dbname)
    modules = suite_addons()
    install = args.install.split(",") if args.install else modules
    test_tags = args.tags or ",".join(f"/{m}" for m in install)
    log = TEST_LOG_DIR / f"odoo-{dbname}.log"
    cmd = odoo_command(
        options, "-d", dbname, "--db-filter", f"^{dbname}$", "-i", ",".join(install),
        "--with-demo" if with_demo else "--without-demo",
        "--test-enable", "--test-tags", test_tags, "--stop-after-init",
        "--http-port", str(free_port()), "--gevent-port", str(free_port()), "--log-level", "info",
        "--max-cron-threads", "0",
    )
    clock = active_cluster().clock_env
    started = time.time()
    rc = run_logged(cmd, log, env=dict(os.environ, **clock))
    elapsed = time.time() - started
    text = log.read_text(errors="replace")
    result = RESULT_LINE.findall(text)
    problems = []
    for line in text.splitlines():
        match = LOG_LINE.match(line)
        if not match:
            continue
        level, msg = match["level"], match["msg"]
        if level in ("ERROR", "CRITICAL") and not RESULT_LINE.search(msg):
            problems.append(line)
        elif level == "WARNING":
            problems.append(line)  # deprecations and misconfigurations are failures too
    if result:
        failed, errors, ran = (int(x) for x in result[-1])
    else:
        failed, errors, ran = 0, 1, 0
        problems.append(f"no test report in {log} (exit code {rc})")
    label = f"odoo tests, {'with' if with_demo else 'without'} demo data" + (f", at {args.at:%Y-%m-%d %H:%M}" if args.at else "")
    extra = 0
    if failed + errors == 0 and (problems or rc):
        extra = 1  # errors or warnings logged outside tests (install failures, deprecations)
    tally.add(label, max(ran - failed - errors, 0), failed + errors + extra, note=f"{elapsed:.0f}s, log {log.relative_to(ROOT)}")
    if problems:
        say(f"Problems in {log}:")
        for line in problems[:60]:
            say("  " + line[:400])
    checker = ROOT / "scripts" / "check_translations.py"
    if not with_demo and checker.exists() and not args.install and result:
        # the templates must hold every term of the installed code (demo records excluded)
        banner("Translations: the committed templates match the code")
        rc = run_logged([sys.executable, str(checker), "--db", dbname],
                        env=dict(os.environ, CRM_DB_PORT=str(active_cluster().port)))
        tally.add("translations: templates match the code", passed=int(rc == 0), failed=int(rc != 0))
    if not with_demo and not args.install and result:
        banner(f"pytest-odoo: {PYTEST_ODOO_MODULE} and {CONCURRENCY_TESTS} against {dbname}")
        pytest_odoo_step(tally, dbname, clock)
    if not os.environ.get("CRM_KEEP_TEST_DB"):
        with contextlib.suppress(SetupError):
            drop_database(dbname)
        shutil.rmtree(ODOO_DATA / "filestore" / dbname, ignore_errors=True)


def use_clock_cluster(at):
    """Point this command at a throwaway cluster whose clock, like Odoo's and Chromium's, starts at ``at``.

    The embedded default cluster (and a server running on it) is left alone.
    """
    global _active_cluster  # one cluster per command, chosen once
    clock = faketime_env(at)
    shutil.rmtree(CLOCK_PGDATA, ignore_errors=True)
    _active_cluster = Cluster(CLOCK_PGDATA, free_port(), LOCAL / "log" / f"postgresql-clock-{os.getpid()}.log", clock)
    say(f"Clock: Odoo, PostgreSQL and the tours' browser start at {at:%Y-%m-%d %H:%M} UTC (faketime), "
        f"on a throwaway cluster on port {_active_cluster.port}.")


# the quick path for one Odoo test module, kept working by running one module through it
PYTEST_ODOO_MODULE = "addons/crm_service/tests/test_sla.py"
# tests of several real transactions in threads (tag crm_concurrency, outside Odoo's "standard" runs): Odoo's
# own runner holds the registries' lock while it runs the tests, and a thread's retry after a serialization
# failure needs it (Transaction.reset asks for the registry by name)
CONCURRENCY_TESTS = "addons/test_crm_suite/tests/test_concurrency_*.py"
PYTEST_SUMMARY = re.compile(r"(\d+) (passed|failed|errors?|skipped)")


def concurrency_tests(clock):
    """The concurrency test files, on the real clock only: under libfaketime some of their worker
    threads wait on each other past every timeout (not understood yet; they assert no dates)."""
    if clock:
        say("Concurrency tests: not run on the shifted clock (they run in the main run, on the real clock).")
        return []
    return sorted(str(path.relative_to(ROOT)) for path in ROOT.glob(CONCURRENCY_TESTS))


def pytest_odoo_step(tally, dbname, clock):
    """Run :data:`PYTEST_ODOO_MODULE` and the concurrency tests with pytest-odoo against ``dbname``
    (see addons/conftest.py)."""
    log = TEST_LOG_DIR / f"pytest-odoo-{dbname}.log"
    config = write_runtime_config(LOCAL / f"odoo-runtime-{dbname}.conf")
    rc = run_logged([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--odoo-database={dbname}",
                     PYTEST_ODOO_MODULE, *concurrency_tests(clock)],
                    log, env=dict(os.environ, ODOO_RC=str(config), **clock))
    config.unlink(missing_ok=True)
    text = log.read_text(errors="replace")
    counts = dict.fromkeys(("passed", "failed", "error", "errors", "skipped"), 0)
    summary = [line for line in text.splitlines() if PYTEST_SUMMARY.search(line) and " in " in line]
    if summary:
        for number, word in PYTEST_SUMMARY.findall(summary[-1]):
            counts[word] += int(number)
    failed = counts["failed"] + counts["error"] + counts["errors"]
    if (rc or not counts["passed"]) and not failed:
        failed = 1
    if failed:
        say(text[-4000:])
    else:
        say("\n".join(text.strip().splitlines()[-1:]))
    tally.add("pytest-odoo: quick path and concurrency", counts["passed"], failed, counts["skipped"], note=f"log {log.relative_to(ROOT)}")


def list_odoo_tests():
    return sorted(str(p.relative_to(ROOT)) for p in ADDONS_DIR.glob("*/tests/test_*.py"))


def cmd_test(args):
    tally = Tally()
    TEST_LOG_DIR.mkdir(parents=True, exist_ok=True)
    steps = args.only or ["lint", "pure", "odoo"]
    if "lint" in steps:
        banner("Static checks: ruff and pylint-odoo")
        lint_step(tally)
    if "pure" in steps:
        banner("Pure-logic tests (no database): pytest tests/")
        pure_step(tally)
    if "i18n" in steps or "lint" in steps:
        checker = ROOT / "scripts" / "check_translations.py"
        if checker.exists():
            banner("Translations: every term has ru and uk")
            rc = run_logged([sys.executable, str(checker)])
            tally.add("translations ru/uk", passed=int(rc == 0), failed=int(rc != 0))
    if "odoo" in steps:
        version, reason = odoo_version()
        if reason:
            skipped = list_odoo_tests()
            banner(
                "THE ODOO TEST SUITE DID NOT RUN\n"
                f"Reason: {reason}.\n"
                f"These {len(skipped)} test modules were NOT run:\n  " + "\n  ".join(skipped)
            )
            tally.add("odoo tests", skipped=len(skipped), note="NOT RUN: " + reason)
        else:
            try:
                if args.at:
                    use_clock_cluster(args.at)
                ensure_cluster()
                ODOO_DATA.mkdir(parents=True, exist_ok=True)
                modes = [True, False] if args.demo == "both" else [args.demo == "with"]
                for with_demo in modes:
                    banner(f"Odoo {version}: install {', '.join(suite_addons())} {'with' if with_demo else 'without'} demo data and run their tests")
                    odoo_step(tally, with_demo, args)
            except SetupError as exc:
                say(f"ERROR: {exc}")
                tally.add("odoo tests", failed=1, note="set-up failed")
            finally:
                if args.at:
                    stop_cluster()
                    shutil.rmtree(CLOCK_PGDATA, ignore_errors=True)
            if args.also_at and not args.at:
                clock_step(tally, version, args)
    banner("Summary" + (f" (clock started at {args.at:%Y-%m-%d %H:%M} UTC)" if args.at else ""))
    for line in tally.lines:
        say(line)
    summary = f"{tally.passed} passed, {tally.failed} failed"
    if tally.skipped:
        summary += f", {tally.skipped} skipped"
    say(summary)
    return 1 if tally.failed else 0


def clock_step(tally, version, args):
    """``--also-at``: the Odoo tests without demo data once more, on a shifted clock (CI does this)."""
    global _active_cluster  # back to the embedded default afterwards
    default, args.at = active_cluster(), args.also_at
    banner(f"Odoo {version}: the tests without demo data again, on a clock starting at {args.at:%Y-%m-%d %H:%M} UTC")
    try:
        use_clock_cluster(args.at)
        ensure_cluster()
        odoo_step(tally, False, args)
    except SetupError as exc:
        say(f"ERROR: {exc}")
        tally.add(f"odoo tests at {args.at:%Y-%m-%d %H:%M}", failed=1, note="set-up failed")
    finally:
        stop_cluster()
        shutil.rmtree(CLOCK_PGDATA, ignore_errors=True)
        _active_cluster, args.at = default, None


def cmd_testdb(args):
    """A database with the suite installed and no test run: the target of ``pytest --odoo-database``."""
    require_odoo()
    options = read_config()
    ensure_cluster()
    ODOO_DATA.mkdir(parents=True, exist_ok=True)
    TEST_LOG_DIR.mkdir(parents=True, exist_ok=True)
    log = TEST_LOG_DIR / f"testdb-{args.name}.log"
    if args.update:
        step = ["-u", args.update]  # after changing models or views of these addons
    else:
        drop_database(args.name)
        shutil.rmtree(ODOO_DATA / "filestore" / args.name, ignore_errors=True)
        if args.clone:
            clone_template(args.clone, args.name)
            write_runtime_config()
            say(f"Database {args.name} cloned from {args.clone}.")
            return 0
        step = ["-i", ",".join(suite_addons()), "--with-demo" if args.demo else "--without-demo"]
    cmd = odoo_command(options, "-d", args.name, "--db-filter", f"^{args.name}$", *step, "--stop-after-init",
                       "--http-port", str(free_port()), "--gevent-port", str(free_port()), "--max-cron-threads", "0")
    if run_logged(cmd, log):
        raise SetupError(f"Installing or updating the addons in {args.name} failed; see {log}")
    write_runtime_config()
    say(f"Database {args.name} is ready: pytest --odoo-database={args.name} addons/<addon>/tests/test_<x>.py [-k name]")
    return 0


def parse_at_arg(value):
    try:
        return parse_at(value)
    except SetupError as exc:
        raise argparse.ArgumentTypeError(str(exc))


# --------------------------------------------------------------------------- bench


def cmd_bench(args):
    require_odoo()
    options = read_config()
    ensure_cluster()
    ODOO_DATA.mkdir(parents=True, exist_ok=True)
    benches = sorted((ROOT / "scripts" / "bench").glob("bench_*.py"))
    chosen = [b for b in benches if not args.names or any(n in b.stem for n in args.names)]
    if not chosen:
        raise SetupError(f"No benchmark matches {args.names}; available: {[b.stem for b in benches]}")
    env = dict(os.environ, CRM_ADDONS_PATH=",".join(odoo_addons_paths()), CRM_CONFIG=str(CONFIG_FILE),
               CRM_DATA_DIR=str(ODOO_DATA), CRM_DB_PORT=options["db_port"], CRM_DB_USER=options["db_user"])
    rc = 0
    for bench in chosen:
        banner(f"Benchmark {bench.stem}")
        rc |= run_logged([sys.executable, str(bench), *(args.extra or [])], env=env)
    return rc


def cmd_soak(args):
    """Two prefork Odoo servers on the primary + replica under load, then invariants (scripts/bench/soak.py)."""
    require_odoo()
    options = read_config()
    ensure_cluster()
    replica_port = ensure_replica()
    ODOO_DATA.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, CRM_ADDONS_PATH=",".join(odoo_addons_paths()), CRM_CONFIG=str(CONFIG_FILE),
               CRM_DATA_DIR=str(ODOO_DATA), CRM_DB_PORT=options["db_port"], CRM_DB_USER=options["db_user"],
               CRM_REPLICA_PORT=str(replica_port), CRM_LOG_DIR=str(LOCAL / "log"))
    banner("Soak: several Odoo servers, one primary and its replica")
    return run_logged([sys.executable, str(ROOT / "scripts" / "bench" / "soak.py"), *(args.extra or [])], env=env)


# --------------------------------------------------------------------------- main


def main(argv=None):
    parser = argparse.ArgumentParser(prog="crmctl", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="start the CRM suite with demo data on the embedded default")
    run.add_argument("--detach", action="store_true", help="serve in the background")
    run.add_argument("--port", type=int, help="HTTP port (default: http_port of config/odoo.conf)")
    run.add_argument("--update", action="store_true", help="update the suite's addons of an existing database first")
    run.add_argument("--lang", help="load this language (ru_RU, uk_UA) and give it to the admin user")
    run.add_argument("--workers", type=int, metavar="N",
                     help="prefork mode: N HTTP worker processes (plus cron workers and the gevent bus)")
    run.add_argument("--cron-workers", type=int, metavar="N",
                     help="with --workers: cron worker processes (default: max_cron_threads of config/odoo.conf)")
    run.add_argument("--gevent-port", type=int, metavar="PORT",
                     help="with --workers: port of the bus (websocket) process (default: gevent_port of the config)")
    run.add_argument("--replica", action="store_true",
                     help="add a streaming replica (hot standby) of the cluster and serve read-only requests from it")
    run.set_defaults(func=cmd_run)
    test = sub.add_parser("test", help="run the whole test suite")
    test.add_argument("--only", action="append", choices=["lint", "pure", "i18n", "odoo"], help="run only these steps")
    test.add_argument("--demo", choices=["both", "with", "without"], default="both", help="databases to test on")
    test.add_argument("--tags", help="Odoo --test-tags (default: the installed addons of ours)")
    test.add_argument("--db", help="test database name prefix (default crm_test); use your own when several run at once")
    test.add_argument("--install", help="comma-separated addons to install (default: every addon under addons/)")
    test.add_argument("--template", help="development shortcut: clone this database instead of starting empty")
    test.add_argument("--at", type=parse_at_arg, metavar='"YYYY-MM-DD HH:MM"',
                      help="run the Odoo tests with Odoo and PostgreSQL (Debian's faketime) and the tours' browser "
                           "on a clock starting at this UTC instant")
    test.add_argument("--also-at", type=parse_at_arg, metavar='"YYYY-MM-DD HH:MM"',
                      help="after the usual run, run the Odoo tests without demo data again on a clock starting "
                           "at this UTC instant (CI does, at a daylight-saving change)")
    test.set_defaults(func=cmd_test)
    testdb = sub.add_parser("testdb", help="create a database with every addon of ours installed, for pytest-odoo")
    testdb.add_argument("--name", default="crm_dev", help="database name (default crm_dev)")
    testdb.add_argument("--demo", action="store_true", help="with demo data")
    testdb.add_argument("--clone", metavar="DB", help="copy this database instead of installing (fast)")
    testdb.add_argument("--update", metavar="ADDONS", help="update these addons (comma-separated) in the existing database")
    testdb.set_defaults(func=cmd_testdb)
    sub.add_parser("stop", help="stop a detached server and the cluster").set_defaults(func=cmd_stop)
    sub.add_parser("clean", help="stop, then delete .local/").set_defaults(func=cmd_clean)
    sub.add_parser("status", help="what is installed and running").set_defaults(func=cmd_status)
    bench = sub.add_parser("bench", help="run benchmarks from scripts/bench")
    bench.add_argument("names", nargs="*", help="benchmarks to run (default: all); options after the names, "
                       "such as --rows 2000, are passed to the benchmark scripts")
    bench.set_defaults(func=cmd_bench)
    soak = sub.add_parser("soak", help="two prefork servers on a primary + replica under load, then invariants; "
                                       "options (--seconds, --scale, --servers ...) go to scripts/bench/soak.py")
    soak.set_defaults(func=cmd_soak)
    args, unknown = parser.parse_known_args(argv)
    if unknown and args.command not in ("bench", "soak"):
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    args.extra = [arg for arg in unknown if arg not in ("--", "--extra")]
    try:
        return args.func(args)
    except SetupError as exc:
        print(f"crmctl: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
