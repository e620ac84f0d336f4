"""Several workers on the test database, each in its own real transaction.

The tests built on ``ConcurrencyCase`` commit for real (like several cron
workers on several servers): they create their own records with unique names
and delete them in a cleanup. Every wait has a timeout, so a broken lock never
hangs the suite.
"""
import threading
from contextlib import contextmanager
from uuid import uuid4

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.orm.environments import Transaction
from odoo.tests.common import BaseCase, get_db_name
from odoo.tools import mute_logger

TIMEOUT = 60  # seconds: the longest any worker or barrier may take
# the losing worker's serialization failures, deadlocks and lock timeouts are what these tests provoke:
# odoo.sql_db logs each as a "bad query" error; the tests assert them through the workers' results
EXPECTED_FAILURES_LOGGER = "odoo.sql_db"


def superuser_env(registry, cr, context=None):
    """A superuser environment on ``cr`` of ``registry``, built without ``Registry(dbname)``: Odoo's
    test runner holds the registries' lock while it runs the tests, so a thread asking for the
    registry by name would wait for the end of the suite."""
    if cr.transaction is None:
        cr.transaction = Transaction(registry)
    return api.Environment(cr, SUPERUSER_ID, dict(context or {}))


class Gate:
    """Stop one worker at a dangerous point until the test lets it go on.

    ``gate.pause()`` is called from patched code by every worker; only the
    worker thread named ``who`` stops there (once), the others go through.
    """

    def __init__(self, who="A"):
        self.who = who
        self.reached = threading.Event()
        self.released = threading.Event()

    def pause(self):
        if threading.current_thread().name != self.who or self.reached.is_set():
            return
        self.reached.set()
        if not self.released.wait(TIMEOUT):
            raise TimeoutError("the gate was never released")


class Worker(threading.Thread):
    """``function(env)`` in a new cursor: committed if it returns, rolled back if it raises."""

    def __init__(self, case, name, function, context=None):
        super().__init__(name=name, daemon=True)
        self.case, self.function, self.context = case, function, context or {}
        self.result = self.error = None

    def run(self):
        try:
            with self.case.registry.cursor() as cr:
                # a worker stuck on a lock fails instead of hanging the suite
                cr.execute("SET lock_timeout = %s", [f"{TIMEOUT}s"])
                env = superuser_env(self.case.registry, cr, self.context)
                threading.current_thread().dbname = cr.dbname
                self.result = self.function(env)
        except Exception as error:  # handed to the test, which asserts on it
            self.error = error

    def finish(self):
        self.join(TIMEOUT)
        if self.is_alive():
            raise AssertionError(f"worker {self.name} did not finish within {TIMEOUT}s")
        return self


class ConcurrencyCase(BaseCase):
    """Real commits on the test database from several threads (no test transaction to roll back)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())

    @staticmethod
    def unique(prefix):
        return f"{prefix} {uuid4().hex[:10]}"

    @contextmanager
    def committed_env(self, context=None):
        """A superuser environment on a new cursor, committed at the end of the block."""
        with self.registry.cursor() as cr:
            yield superuser_env(self.registry, cr, context)

    def cleanup_records(self, model, ids):
        """Delete ``ids`` of ``model`` (committed) when the test ends."""

        def cleanup():
            with self.committed_env({"active_test": False}) as env:
                env[model].browse(ids).exists().unlink()

        self.addCleanup(cleanup)

    @staticmethod
    def cron_context(env, xmlid):
        """The context the scheduler gives a job: its progress record, so the job commits per chunk."""
        cron = env.ref(xmlid)
        progress = env["ir.cron.progress"].create({"cron_id": cron.id, "remaining": 0, "done": 0})
        return {"cron_id": cron.id, "ir_cron_progress_id": progress.id}

    def run_together(self, *functions, context=None):
        """Start every ``function(env)`` at once in its own worker (named A, B, ...); wait for all."""
        workers = [Worker(self, chr(ord("A") + index), function, context)
                   for index, function in enumerate(functions)]
        with mute_logger(EXPECTED_FAILURES_LOGGER):
            for worker in workers:
                worker.start()
            return [worker.finish() for worker in workers]

    def run_interleaved(self, gate, first, second, context=None, second_wait=10):
        """Worker A runs ``first`` up to ``gate.pause()``; worker B then runs ``second``.

        A goes on when B is done, or after ``second_wait`` seconds if B waits on
        A's locks (then both finish, in whatever order the database decides).
        """
        with mute_logger(EXPECTED_FAILURES_LOGGER):
            return self._run_interleaved(gate, first, second, context, second_wait)

    def _run_interleaved(self, gate, first, second, context, second_wait):
        worker_a = Worker(self, gate.who, first, context)
        worker_a.start()
        if not gate.reached.wait(TIMEOUT):
            gate.released.set()
            worker_a.finish()
            raise AssertionError(f"worker A never reached the gate (error: {worker_a.error!r})")
        worker_b = Worker(self, "B", second, context)
        worker_b.start()
        worker_b.join(second_wait)
        gate.released.set()
        return worker_a.finish(), worker_b.finish()
