"""The local PostgreSQL cluster (the embedded default, or a throwaway one on a shifted clock), its streaming
replica, and every SQL statement crmctl sends.

SQL goes through ``psycopg2.sql``: names as :class:`~psycopg2.sql.Identifier`, values as
:class:`~psycopg2.sql.Literal`, never string formatting.  The ``*_query`` functions only compose (no
connection needed), so tests can check what is sent for any database name.
"""

import os
import pwd
import shutil
import subprocess
from pathlib import Path

from .common import (
    CONFIG_FILE,
    LOCAL,
    PGDATA,
    PGLOG,
    PGRUN,
    REPLICA_LOG,
    REPLICA_PGDATA,
    REPLICA_SLOT,
    REPLICA_SLOT_MAX_WAL,
    SetupError,
    port_free,
    read_config,
    say,
)


def _sql():
    # psycopg2 comes with Odoo: `status`, `stop` and `clean` work on a machine without it
    from psycopg2 import sql  # noqa: PLC0415

    return sql


# --------------------------------------------------------------------------- binaries and the OS user


def pg_bindir():
    candidates = []
    env_dir = os.environ.get("CRM_PG_BINDIR")
    if env_dir:
        candidates.append(Path(env_dir))
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"),
                      key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, reverse=True)
    candidates += versions
    which = shutil.which("pg_ctl")
    if which:
        candidates.append(Path(os.path.realpath(which)).parent)
    for candidate in candidates:
        if all((candidate / binary).exists() for binary in ("pg_ctl", "initdb", "postgres")):
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
            raise SetupError(
                "Running as root needs an unprivileged user for PostgreSQL (postgres or nobody)."
            ) from exc


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


# --------------------------------------------------------------------------- clusters


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


def use_cluster(cluster):
    """Point the commands of this process at ``cluster`` (None: the embedded default); return the previous one."""
    global _active_cluster  # see active_cluster
    previous, _active_cluster = _active_cluster, cluster
    return previous


def pg_running(bindir, pgdata=None):
    pgdata = Path(pgdata or PGDATA)
    if not (pgdata / "PG_VERSION").exists():
        return False
    result = subprocess.run(as_pg_user([str(bindir / "pg_ctl"), "-D", str(pgdata), "status"]),
                            capture_output=True, text=True, check=False)
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


def server_options(port):
    """The cluster's ``postgres -c`` options: loopback only, throwaway durability (a development cluster)."""
    return (f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={PGRUN} -c fsync=off "
            "-c full_page_writes=off -c max_connections=200")


def _open_path_for(user):
    """The cluster's owner must be able to reach its folder."""
    if user is None:
        return
    for parent in [LOCAL, *LOCAL.parents]:
        if not os.access(parent, os.X_OK) or (parent.stat().st_mode & 0o001) == 0:
            if parent.stat().st_uid == 0 and parent != Path("/"):
                os.chmod(parent, parent.stat().st_mode | 0o001)


def ensure_cluster(cluster=None):
    """Create (first time) and start a local cluster (default: the active one); return its port.

    A cluster with a ``clock_env`` (from :func:`crmctl_lib.clock.faketime_env`) runs PostgreSQL on
    the shifted clock, so that its ``now()`` agrees with Odoo's.
    """
    cluster = cluster or active_cluster()
    options = read_config()
    port, pgdata, pglog = cluster.port, cluster.pgdata, cluster.log
    bindir = pg_bindir()
    for folder in (LOCAL, LOCAL / "log", LOCAL / "run"):
        folder.mkdir(exist_ok=True)
    if not (pgdata / "PG_VERSION").exists():
        say(f"Creating the PostgreSQL cluster in {pgdata} ({bindir.parent.name}) ...")
        chown_for_pg(pgdata, PGRUN, pglog.parent)
        _open_path_for(pg_os_user())
        result = subprocess.run(
            as_pg_user([str(bindir / "initdb"), "-D", str(pgdata), "-U", options["db_user"], "--auth=trust",
                        "--encoding=UTF8", "--no-locale"]),
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
    result = subprocess.run(
        as_pg_user([str(bindir / "pg_ctl"), "-D", str(pgdata), "-l", str(pglog), "-o", server_options(port),
                    "-w", "-t", "60", "start"]),
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
        subprocess.run(as_pg_user([str(bindir / "pg_ctl"), "-D", str(cluster.pgdata), "-m", "fast", "-w", "stop"]),
                       check=False)
        say("PostgreSQL stopped.")


# --------------------------------------------------------------------------- SQL


def pg_connect(port, dbname="postgres"):
    """An autocommit connection to a local cluster as the configured user."""
    import psycopg2  # noqa: PLC0415 - see _sql

    connection = psycopg2.connect(dbname=dbname, host="127.0.0.1", port=port, user=read_config()["db_user"],
                                  connect_timeout=5)
    connection.autocommit = True  # CREATE/DROP DATABASE cannot run inside a transaction
    return connection


def pg_query(port, query, dbname="postgres"):
    """Run a composed ``query`` (see the ``*_query`` functions) on a local cluster; rows, or [] for a command."""
    import psycopg2  # noqa: PLC0415 - see _sql

    try:
        connection = pg_connect(port, dbname)
    except psycopg2.Error as exc:
        raise SetupError(f"Cannot connect to PostgreSQL on 127.0.0.1:{port} ({dbname}): {str(exc).strip()}") from exc
    try:
        with connection.cursor() as cr:
            cr.execute(query)
            return cr.fetchall() if cr.description else []
    except psycopg2.Error as exc:
        raise SetupError(f"PostgreSQL refused {query.as_string(connection)!r}: {str(exc).strip()}") from exc
    finally:
        connection.close()


def database_exists_query(name):
    sql = _sql()
    return sql.SQL("SELECT 1 FROM pg_database WHERE datname = {}").format(sql.Literal(name))


def drop_database_query(name):
    sql = _sql()
    return sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name))


def create_database_query(name, template):
    sql = _sql()
    return sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template))


def installed_addons_query(names):
    sql = _sql()
    return sql.SQL("SELECT name FROM ir_module_module WHERE state = 'installed' AND name = ANY({})").format(
        sql.Literal(list(names)))


def replica_slot_query(slot):
    sql = _sql()
    return sql.SQL("SELECT 1 FROM pg_replication_slots WHERE slot_name = {}").format(sql.Literal(slot))


def slot_wal_status_query(slot):
    """``wal_status`` of the replica's slot: ``lost`` once the primary removed WAL the replica still needs
    (the replica stayed stopped while more than ``max_slot_wal_keep_size`` was written)."""
    sql = _sql()
    return sql.SQL("SELECT wal_status FROM pg_replication_slots WHERE slot_name = {}").format(sql.Literal(slot))


def drop_slot_query(slot):
    sql = _sql()
    return sql.SQL("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                   " WHERE slot_name = {} AND NOT active").format(sql.Literal(slot))


def wal_settings_query():
    sql = _sql()
    return sql.SQL("SELECT name, setting FROM pg_settings WHERE name IN ({})").format(
        sql.SQL(", ").join(sql.Literal(name) for name in ("wal_level", "max_wal_senders")))


def slot_wal_limit_query(size):
    sql = _sql()
    return sql.SQL("ALTER SYSTEM SET max_slot_wal_keep_size = {}").format(sql.Literal(size))


def reload_conf_query():
    return _sql().SQL("SELECT pg_reload_conf()")


def replay_position_query():
    return _sql().SQL("SELECT pg_last_wal_replay_lsn()::text, "
                      "EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())")


def wal_behind_query(replayed_lsn):
    sql = _sql()
    return sql.SQL("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), {}::pg_lsn)").format(sql.Literal(replayed_lsn))


def database_exists(name):
    return bool(pg_query(active_cluster().port, database_exists_query(name)))


def drop_database(name):
    if database_exists(name):
        pg_query(active_cluster().port, drop_database_query(name))


def clone_database(template, name):
    pg_query(active_cluster().port, create_database_query(name, template))


def installed_addons(dbname, names):
    """Which of ``names`` are installed in ``dbname``."""
    return {name for (name,) in pg_query(active_cluster().port, installed_addons_query(names), dbname)}


# --------------------------------------------------------------------------- streaming replica


def replica_cluster():
    """The hot standby of the embedded default: a copy of its cluster on the next port."""
    return Cluster(REPLICA_PGDATA, int(read_config()["db_port"]) + 1, REPLICA_LOG)


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


def _create_replica(primary, replica, bindir):
    if not port_free(replica.port):
        raise SetupError(f"Port {replica.port} on 127.0.0.1 (the replica's: db_port + 1) is used by another "
                         "program; stop it first.")
    settings = dict(pg_query(primary, wal_settings_query()))
    if settings.get("wal_level") == "minimal" or int(settings.get("max_wal_senders", 0)) < 2:
        raise SetupError("The primary cannot stream its WAL (wal_level=minimal or max_wal_senders < 2): "
                         f"set wal_level=replica and max_wal_senders=10 in {PGDATA}/postgresql.conf, "
                         "then restart it (crmctl stop; crmctl run).")
    slots = pg_query(primary, replica_slot_query(REPLICA_SLOT))
    say(f"Copying the primary into {replica.pgdata} (pg_basebackup -R, slot {REPLICA_SLOT}) ...")
    shutil.rmtree(replica.pgdata, ignore_errors=True)
    chown_for_pg(replica.pgdata, PGRUN, replica.log.parent)
    os.chmod(replica.pgdata, 0o700)
    result = subprocess.run(
        as_pg_user(basebackup_command(bindir, primary, read_config()["db_user"], replica.pgdata, REPLICA_SLOT,
                                      create_slot=not slots)),
        capture_output=True, text=True, check=False)
    if result.returncode:
        shutil.rmtree(replica.pgdata, ignore_errors=True)
        raise SetupError(f"pg_basebackup failed:\n{result.stdout}\n{result.stderr}")
    # a stopped replica must not fill the primary's disk with WAL kept for it
    pg_query(primary, slot_wal_limit_query(REPLICA_SLOT_MAX_WAL))
    pg_query(primary, reload_conf_query())


def ensure_replica():
    """Create (first time, from the running primary) and start the streaming replica; return its port."""
    primary = ensure_cluster()
    replica = replica_cluster()
    bindir = pg_bindir()
    if (replica.pgdata / "PG_VERSION").exists() and replica_cannot_catch_up(primary):
        say(f"The replica in {replica.pgdata} cannot catch up: the primary removed WAL it still needs "
            f"(it stayed stopped while more than {REPLICA_SLOT_MAX_WAL} was written). Copying the primary again.")
        stop_cluster(replica)
        pg_query(primary, drop_slot_query(REPLICA_SLOT))
        shutil.rmtree(replica.pgdata, ignore_errors=True)
    if not (replica.pgdata / "PG_VERSION").exists():
        _create_replica(primary, replica, bindir)
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


def replica_cannot_catch_up(primary_port):
    """True when the replica's slot is lost or gone: streaming can never resume, only a new copy helps."""
    rows = pg_query(primary_port, slot_wal_status_query(REPLICA_SLOT))
    return not rows or rows[0][0] == "lost"


def replication_lag(primary_port, replica_port):
    """(bytes not replayed yet, seconds since the last replayed transaction, replayed LSN) of the replica."""
    (replayed, age), = pg_query(replica_port, replay_position_query())
    if replayed is None:
        return None, None, None
    (behind,), = pg_query(primary_port, wal_behind_query(replayed))
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
    try:
        lost = replica_cannot_catch_up(active_cluster().port)
    except Exception:  # status reports, it does not fail (the primary may be stopped)
        lost = False
    note = "; it cannot catch up (the primary removed WAL it needs): `crmctl run --replica` copies the primary again" \
        if lost else ""
    if not pg_running(pg_bindir(), replica.pgdata):
        return f"stopped (port {replica.port}, data in {replica.pgdata}){note}"
    try:
        lag = format_lag(*replication_lag(active_cluster().port, replica.port))
    except Exception as exc:  # status reports, it does not fail
        lag = f"lag unknown ({str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__})"
    return f"running on 127.0.0.1:{replica.port} (data in {replica.pgdata}), {lag}{note}"
