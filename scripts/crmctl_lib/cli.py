"""The command line of ``scripts/crmctl.py``: one sub-command per job, each handled by one module."""

import argparse
import sys

from .bench import cmd_bench, cmd_soak
from .clock import parse_at
from .common import SetupError
from .odoo_server import cmd_clean, cmd_run, cmd_status, cmd_stop
from .runner import cmd_test, cmd_testdb

# commands whose unknown options go to the script they launch (args.extra)
PASS_THROUGH = ("bench", "soak")


def parse_at_arg(value):
    try:
        return parse_at(value)
    except SetupError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def build_parser(description=None):
    parser = argparse.ArgumentParser(prog="crmctl", description=description,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="start the CRM suite with demo data on the embedded default")
    run.add_argument("--detach", action="store_true", help="serve in the background")
    run.add_argument("--port", type=int, help="HTTP port (default: http_port of config/odoo.conf)")
    run.add_argument("--update", action="store_true", help="update the suite's addons of an existing database first")
    run.add_argument("--lang", help="load this language (ru_RU, uk_UA) and give it to the admin user, whose "
                                    "current company becomes the demo company of that language (Moscow, Kyiv)")
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
    test.add_argument("--only", action="append", choices=["lint", "pure", "i18n", "odoo", "upgrade"],
                      help="run only these steps")
    test.add_argument("--demo", choices=["both", "with", "without"], default="both", help="databases to test on")
    test.add_argument("--tags", help="Odoo --test-tags (default: the installed addons of ours)")
    test.add_argument("--db", help="test database name prefix (default crm_test); use your own when several run "
                                   "at once")
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
    testdb.add_argument("--update", metavar="ADDONS",
                        help="update these addons (comma-separated) in the existing database")
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
    return parser


def parse_args(argv=None, description=None):
    """The parsed command line; ``args.extra`` holds the options passed through to bench and soak scripts."""
    parser = build_parser(description)
    args, unknown = parser.parse_known_args(argv)
    if unknown and args.command not in PASS_THROUGH:
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    args.extra = [arg for arg in unknown if arg not in ("--", "--extra")]
    if args.command == "bench":
        # after `--` argparse gives the options to `names`: `bench sla -- --tickets 2000` passes them on too
        first_option = next((i for i, name in enumerate(args.names) if name.startswith("-")), len(args.names))
        args.names, args.extra = args.names[:first_option], args.names[first_option:] + args.extra
    return args


def main(argv=None, description=None):
    args = parse_args(argv, description)
    try:
        return args.func(args)
    except SetupError as exc:
        print(f"crmctl: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
