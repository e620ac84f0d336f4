import itertools
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.service.model import MAX_TRIES_ON_CONCURRENCY_FAILURE, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL

from ..tools import import_rows
from .crm_import_job import CHUNK_SIZE

_logger = logging.getLogger(__name__)


class CrmImportJob(models.Model):
    """Processing of a queued import: chunk after chunk, now or by the background job (cron), as the user
    who queued it, one import of a company at a time."""

    _inherit = "crm.import.job"  # pylint: disable=consider-merging-classes-inherited  # one unit per file

    def _run(self, commit_progress=None, chunk_size=CHUNK_SIZE):
        """Process the rows not processed yet, chunk after chunk.

        ``commit_progress(processed, remaining)`` is called after each chunk by
        the cron (it commits and returns the time left); without it the whole
        file is processed in the current transaction.
        """
        self.ensure_one()
        try:
            self._check_import_access()  # run by the cron as the user who queued it: they may have lost the right
            table = self._read_table(keep=True)  # streamed from the sheet kept at upload (read again if dropped)
            self._mapping()
        except UserError as error:  # AccessError included
            # sudo: the outcome is recorded even for a user who lost the right to write it; nothing else is
            self.sudo().write({"state": "failed", "error_message": str(error), "date_done": fields.Datetime.now()})
            return True
        self.write({"state": "running", "rows_total": table.rows_total})
        self._lock_company_imports()
        run = self._prepare_run()
        rows = itertools.islice(table.rows, self.rows_done, None)  # a resumed job goes on where it stopped
        while chunk := list(itertools.islice(rows, chunk_size)):
            results = self._import_rows(run, table.columns, chunk)
            self._insert_rows(results)
            counts = dict.fromkeys(import_rows.DECISIONS, 0)
            for result in results:
                counts[result["decision"]] += 1
            self.write({
                "rows_done": self.rows_done + len(chunk),
                "created_count": self.created_count + counts["created"],
                "updated_count": self.updated_count + counts["updated"],
                "skipped_count": self.skipped_count + counts["skipped"],
                "rejected_count": self.rejected_count + counts["rejected"],
            })
            # the rows of this chunk are written: release them and drop the cards from the cache, memory
            # stays flat over the file
            processed = len(chunk)
            del chunk, results
            self.env.flush_all()
            self.env.invalidate_all()
            if commit_progress and self.rows_done < table.rows_total:
                if not commit_progress(processed, table.rows_total - self.rows_done):
                    return False  # out of time: the next cron run resumes at rows_done
                self._lock_company_imports()  # a new transaction: the lock was released by the commit
                self._index_partners(run)
        self.write({"state": "done", "date_done": fields.Datetime.now(), "table_cache": False})
        self._attach_rejected_file()
        return True

    @api.model
    def _cron_process_import_jobs(self):
        """Background job: take one queued import (skipping those another worker holds) and work on it."""
        cron = self.env["ir.cron"]
        seen = set()
        tries = 0
        while True:
            self.flush_model(["state"])
            try:
                # a snapshot older than another worker's commit on the job fails here (REPEATABLE READ)
                self.env.cr.execute(SQL(
                    "SELECT id FROM crm_import_job WHERE state IN ('queued', 'running') AND NOT id = ANY(%s) "
                    "ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED", list(seen)))
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY as error:
                tries = self._concurrency_retry(tries, error)
                if not tries:
                    return
                continue
            row = self.env.cr.fetchone()
            if not row:
                return
            seen.add(row[0])  # one pass per job and call: a job that cannot progress never spins
            system_job = self.browse(row[0])
            job = system_job._as_queuing_user()

            def commit_progress(processed, remaining, job=job):
                nonlocal tries
                time_left = cron._commit_progress(processed, remaining=remaining)
                tries = 0  # a committed chunk: only failures in a row end the run
                # the commit released our lock: take it again if the job is still ours to run (a fresh
                # snapshot: first statement of the transaction), or let the worker that took it go on
                self.env.cr.execute(SQL(
                    "SELECT id FROM crm_import_job WHERE id = %s AND state = 'running' FOR UPDATE SKIP LOCKED",
                    job.id))
                return time_left > 0 and bool(self.env.cr.fetchone())

            if not job:
                system_job.write({"state": "failed", "date_done": fields.Datetime.now(), "error_message": self.env._(
                    "The user who queued this import is archived or no longer works for its company.")})
            else:
                try:
                    if not job._run(commit_progress=commit_progress):
                        return
                except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY as error:
                    # not the file's fault: the chunk is undone, the job resumes at its committed rows_done
                    tries = self._concurrency_retry(tries, error)
                    if not tries:
                        return
                    seen.discard(system_job.id)
                    continue
                except Exception as error:
                    self.env.cr.rollback()
                    _logger.exception("Customer import %s failed", system_job.id)
                    # recorded by the system: the user may lack the rights the failure is about
                    system_job.write({"state": "failed", "error_message": str(error),
                                      "date_done": fields.Datetime.now()})
            # the jobs still waiting: a run out of time is "partially done" and Odoo runs it again at once,
            # rather than "fully done" until the next scheduled call
            remaining = self.search_count([("state", "in", ("queued", "running")), ("id", "not in", list(seen))])
            if not cron._commit_progress(1, remaining=remaining) > 0:
                return

    @api.model
    def _concurrency_retry(self, tries, error):
        """Roll back after a serialization failure, deadlock or lock timeout, to go on in a fresh snapshot.

        Returns the failures in a row so far, or 0 after ``MAX_TRIES_ON_CONCURRENCY_FAILURE`` of them:
        then this run ends without an error (another worker is busy with the same company's imports,
        which is not a failure); the jobs keep their committed progress, and the cron is told how many
        wait, so that Odoo runs it again soon.
        """
        tries += 1
        self.env.cr.rollback()
        self.env.transaction.reset()
        if tries >= MAX_TRIES_ON_CONCURRENCY_FAILURE:
            _logger.info("Customer imports: %s concurrent updates in a row (%s), this run stops; "
                         "the jobs resume where they are", tries, type(error).__name__)
            waiting = self.search_count([("state", "in", ("queued", "running"))])
            self.env["ir.cron"]._commit_progress(remaining=waiting)
            return 0
        _logger.info("Customer imports: concurrent update, trying again (%s/%s)",
                     tries, MAX_TRIES_ON_CONCURRENCY_FAILURE)
        return tries

    def _as_queuing_user(self):
        """The job in the environment of the user who queued it, in its company (empty if they may not).

        The cron runs as the superuser; the import must obey the access rules of
        whoever queued it, and only in the company the job was queued for.
        """
        self.ensure_one()
        user = self.user_id
        if not user.active or self.company_id not in user.company_ids:
            return self.browse()
        return self.with_user(user).with_company(self.company_id).with_context(
            allowed_company_ids=[self.company_id.id])

    def _lock_company_imports(self):
        """One import of a company writes at a time, and each sees the cards the others created.

        The company's row is updated (to itself): a second import waits for the first one's chunk,
        then fails with a serialization error once it commits (REPEATABLE READ) and is taken again
        in a fresh snapshot — by the cron's retry, or by Odoo's RPC retry for a file imported at once.
        An import that gets the lock without waiting holds a snapshot in which every other import's
        committed chunk is visible: ``_index_partners`` then adds their cards to its index.
        """
        # sudo-free SQL on purpose: the importing user may not write the company; only a row lock is taken
        # the serialization failure is expected and retried: not a "bad query" for the server log
        self.env.cr.execute(SQL("UPDATE res_company SET write_date = write_date WHERE id = %s",
                                self.company_id.id), log_exceptions=False)
