import base64
import time
from contextlib import contextmanager
from datetime import datetime
from unittest.mock import patch

from odoo.sql_db import BaseCursor
from odoo.tests import tagged
from odoo.tests.common import freeze_time

from .common_concurrency import ConcurrencyCase, Gate

HEADER = "Контактное лицо;Организация;ИНН;КПП;Должность;Телефон;E-mail;Город"


@tagged("post_install", "-at_install", "-standard", "crm_concurrency")
class TestConcurrencyImportJobs(ConcurrencyCase):
    """Import jobs taken by several cron workers: every row imported exactly once."""

    ROWS = 6

    def _queued_job(self):
        token = self.unique("imp").replace(" ", "")
        job_ids, contexts = self._queued_jobs(token, copies=1)
        return job_ids[0], token, contexts

    def _queued_jobs(self, token, copies):
        """``copies`` jobs of one file of ``ROWS`` people, queued by the admin, and two workers' cron contexts."""
        lines = [HEADER] + [
            f"Contact {token} {index};;;;;;{token}.{index}@example.com;Москва" for index in range(self.ROWS)
        ]
        with self.committed_env() as env:
            admin = env.ref("base.user_admin")
            jobs = env["crm.import.job"].with_user(admin).create([{
                "file": base64.b64encode("\n".join(lines).encode()),
                "filename": f"{token}-{copy}.csv",
                "region_country_id": env.ref("base.ru").id,
            } for copy in range(copies)])
            for job in jobs:
                job.action_read_file()
                job.action_queue()
            contexts = [self.cron_context(env, "crm_core.ir_cron_crm_import_job") for _worker in "AB"]

        def cleanup():
            with self.committed_env({"active_test": False}) as env:
                env["res.partner"].search([("email", "=like", f"{token}.%")]).unlink()
                env["crm.import.job"].browse(jobs.ids).unlink()
        self.addCleanup(cleanup)
        self.cleanup_records("ir.cron.progress", [context["ir_cron_progress_id"] for context in contexts])
        return jobs.ids, contexts

    def _assert_imported_once(self, job_id, token):
        with self.committed_env({"active_test": False}) as env:
            job = env["crm.import.job"].browse(job_id)
            self.assertEqual(job.state, "done")
            self.assertEqual((job.rows_done, job.created_count), (self.ROWS, self.ROWS))
            self.assertEqual(len(job.row_ids), self.ROWS, "one log row per file row")
            env.cr.execute("SELECT email, count(*) FROM res_partner WHERE email LIKE %s GROUP BY email",
                           [f"{token}.%"])
            counts = dict(env.cr.fetchall())
            self.assertEqual(len(counts), self.ROWS)
            self.assertEqual(set(counts.values()), {1}, "every row imported once")

    def _small_chunks(self):
        """The cron works in chunks of 2 rows, committing after each."""
        Job = self.registry["crm.import.job"]
        original = Job._run

        def run(job, commit_progress=None, chunk_size=None):
            return original(job, commit_progress=commit_progress, chunk_size=2)
        return patch.object(Job, "_run", run)

    def test_stale_worker_retries_instead_of_failing(self):
        """Worker A's snapshot predates B's whole import: A's pick fails to lock, is retried, finds nothing."""
        job_id, token, (context_a, context_b) = self._queued_job()
        gate = Gate("A")

        def stale_worker(env):
            env.cr.execute("SELECT 1")  # the snapshot is taken here
            gate.pause()
            return env["crm.import.job"].with_context(**context_a)._cron_process_import_jobs()

        def fresh_worker(env):
            return env["crm.import.job"].with_context(**context_b)._cron_process_import_jobs()

        with self._small_chunks():
            worker_a, worker_b = self.run_interleaved(gate, stale_worker, fresh_worker)
        self.assertIsNone(worker_b.error)
        self.assertIsNone(worker_a.error, "a serialization failure must be retried, not end the run")
        self._assert_imported_once(job_id, token)

    def test_worker_resuming_after_a_takeover_stops(self):
        """A commits its first chunk and pauses; B takes the job over and finishes it; A must not go on."""
        job_id, token, (context_a, context_b) = self._queued_job()
        gate = Gate("A")
        Cron = self.registry["ir.cron"]
        commit_progress = Cron._commit_progress

        def pausing_commit_progress(cron, processed=0, **kwargs):
            time_left = commit_progress(cron, processed, **kwargs)
            if processed:
                gate.pause()
            return time_left

        Job = self.registry["crm.import.job"]
        build_rejected_file = Job._build_rejected_file
        finished = []

        def counting_build(job):
            finished.append(job.id)
            return build_rejected_file(job)

        with self._small_chunks(), patch.object(Cron, "_commit_progress", pausing_commit_progress), \
                patch.object(Job, "_build_rejected_file", counting_build):
            worker_a, worker_b = self.run_interleaved(
                gate,
                lambda env: env["crm.import.job"].with_context(**context_a)._cron_process_import_jobs(),
                lambda env: env["crm.import.job"].with_context(**context_b)._cron_process_import_jobs(),
            )
        self.assertIsNone(worker_a.error)
        self.assertIsNone(worker_b.error)
        self.assertEqual(finished, [job_id], "the job is finished once, by the worker that took it over")
        self._assert_imported_once(job_id, token)

    def test_two_workers_at_once(self):
        job_id, token, (context_a, context_b) = self._queued_job()
        with self._small_chunks():
            worker_a, worker_b = self.run_together(
                lambda env: env["crm.import.job"].with_context(**context_a)._cron_process_import_jobs(),
                lambda env: env["crm.import.job"].with_context(**context_b)._cron_process_import_jobs(),
            )
        self.assertIsNone(worker_a.error)
        self.assertIsNone(worker_b.error)
        self._assert_imported_once(job_id, token)

    def test_same_file_imported_twice_at_once(self):
        """Two jobs of one file on two workers: A is creating the people (not committed yet) when B
        starts; B waits for A's chunk, then decides on a fresh snapshot: each person is created once."""
        token = self.unique("imp2").replace(" ", "")
        job_ids, contexts = self._queued_jobs(token, copies=2)
        gate = Gate("A")
        Job = self.registry["crm.import.job"]
        import_rows = Job._import_rows

        def pausing_import_rows(job, *args, **kwargs):
            results = import_rows(job, *args, **kwargs)
            job.env.flush_all()
            gate.pause()  # A's first people are written, not committed: B does not see them yet
            return results

        with self._small_chunks(), patch.object(Job, "_import_rows", pausing_import_rows):
            worker_a, worker_b = self.run_interleaved(
                gate,
                lambda env: env["crm.import.job"].with_context(**contexts[0])._cron_process_import_jobs(),
                lambda env: env["crm.import.job"].with_context(**contexts[1])._cron_process_import_jobs(),
                second_wait=3,
            )
        self.assertIsNone(worker_a.error)
        self.assertIsNone(worker_b.error)
        with self.committed_env({"active_test": False}) as env:
            jobs = env["crm.import.job"].browse(job_ids)
            self.assertEqual(jobs.mapped("state"), ["done", "done"])
            self.assertEqual(sum(jobs.mapped("created_count")), self.ROWS, "each person created by one job")
            self.assertEqual(sum(jobs.mapped("skipped_count")), self.ROWS, "the other job found them")
            env.cr.execute("SELECT email, count(*) FROM res_partner WHERE email LIKE %s GROUP BY email",
                           [f"{token}.%"])
            self.assertEqual(set(dict(env.cr.fetchall()).values()), {1}, "nobody imported twice")

    def test_run_out_of_time_reports_the_jobs_still_queued(self):
        """A cron run whose time is up after one job says how many wait, so Odoo runs it again at once
        ("partially done") instead of leaving them until the next scheduled call."""
        job_ids, contexts = self._queued_jobs(self.unique("imp3").replace(" ", ""), copies=2)
        with self.committed_env(dict(contexts[0], cron_end_time=time.monotonic())) as env:
            env["crm.import.job"]._cron_process_import_jobs()
        with self.committed_env() as env:
            self.assertEqual(env["crm.import.job"].browse(job_ids).mapped("state"), ["done", "queued"])
            progress = env["ir.cron.progress"].browse(contexts[0]["ir_cron_progress_id"])
            self.assertEqual((progress.done, progress.remaining), (1, 1))


@tagged("post_install", "-at_install", "-standard", "crm_concurrency")
class TestConcurrencyRottingReminders(ConcurrencyCase):
    """Rotting-deal reminders written by two workers at once: one reminder per deal, no failed run."""

    def _setup_rotting_deals(self):
        name = self.unique("Concurrency rotting")
        with self.committed_env({"tracking_disable": True, "mail_create_nolog": True}) as env:
            stage = env["crm.stage"].create({"name": name, "rotting_threshold_days": 5, "sequence": 99})
            leads = env["crm.lead"].create([{
                "name": f"{name} {index}", "type": "opportunity", "stage_id": stage.id,
                "user_id": env.ref("base.user_admin").id,
            } for index in range(3)])
            leads.date_last_stage_update = "2030-01-10 09:00:00"
            context = self.cron_context(env, "crm_core.ir_cron_remind_rotting_deals")
        self.cleanup_records("crm.stage", stage.ids)
        self.cleanup_records("crm.lead", leads.ids)  # their activities go with them
        self.cleanup_records("ir.cron.progress", [context["ir_cron_progress_id"]])
        return leads.ids, context

    @staticmethod
    @contextmanager
    def _at(moment):
        """Every worker's clock, the transaction's one included (Odoo's rotting reads ``cr.now()``)."""
        moment = datetime.fromisoformat(moment)
        with freeze_time(moment), patch.object(BaseCursor, "now", lambda cr: moment):
            yield

    def _reminders(self, lead_ids):
        with self.committed_env() as env:
            activity_type = env.ref("crm_core.mail_activity_type_rotting_deal")
            reminders = env["mail.activity"].search([
                ("res_model", "=", "crm.lead"), ("res_id", "in", lead_ids),
                ("activity_type_id", "=", activity_type.id)])
            return sorted(reminders.mapped("res_id"))

    def test_stale_worker_sees_the_reminders_of_the_other(self):
        lead_ids, context = self._setup_rotting_deals()
        gate = Gate("A")

        def stale_worker(env):
            env.cr.execute("SELECT 1")  # A's snapshot is taken here, before B's reminders
            gate.pause()
            return len(env["crm.lead"]._remind_rotting_batch(lead_ids))

        with self._at("2030-02-01 10:00:00"):
            worker_a, worker_b = self.run_interleaved(
                gate, stale_worker, lambda env: len(env["crm.lead"]._remind_rotting_batch(lead_ids)),
                context=context)
        self.assertIsNone(worker_b.error)
        self.assertIsNone(worker_a.error, "the stale worker retries instead of failing")
        self.assertEqual((worker_a.result, worker_b.result), (0, 3))
        self.assertEqual(self._reminders(lead_ids), sorted(lead_ids), "one reminder per rotting deal")

    def test_two_workers_at_once(self):
        lead_ids, context = self._setup_rotting_deals()
        gate = Gate("A")
        Lead = self.registry["crm.lead"]
        remind = Lead._remind_rotting_deals

        def pausing_remind(records):
            result = remind(records)
            records.env.flush_all()
            gate.pause()  # A's reminders are written, not committed: B does not see them yet
            return result

        with self._at("2030-02-01 10:00:00"), patch.object(Lead, "_remind_rotting_deals", pausing_remind):
            worker_a, worker_b = self.run_interleaved(
                gate,
                lambda env: len(env["crm.lead"]._remind_rotting_batch(lead_ids)),
                lambda env: len(env["crm.lead"]._remind_rotting_batch(lead_ids)),
                context=context, second_wait=3,
            )
        self.assertIsNone(worker_a.error)
        self.assertIsNone(worker_b.error, "the second worker waits, then retries in a fresh snapshot")
        self.assertEqual(sorted([worker_a.result, worker_b.result]), [0, 3])
        self.assertEqual(self._reminders(lead_ids), sorted(lead_ids), "one reminder per rotting deal")
