import logging
from datetime import timedelta

import psycopg2
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

UNDO_DAYS = 30
CONTEXT_LOG = "crm_partner_merge_log"


class MergeLog:
    """A merge in progress: the cards to archive instead of deleting, the moved links. It travels in the
    context as a Python object, which no client can forge (JSON has none); the cursor's cache would not do,
    Odoo clears it when the merge rolls back a savepoint."""

    __slots__ = ("archive_ids", "link_data", "record", "src_ids")

    def __init__(self, record):
        self.archive_ids = set()
        self.src_ids = []
        self.link_data = []
        self.record = record


def merge_log(env):
    log = env.context.get(CONTEXT_LOG)
    return log if isinstance(log, MergeLog) else None


class CrmPartnerMergeRecord(models.Model):
    """One merge of contacts, kept 30 days so that it can be undone: the merged cards are archived
    (not deleted), the moved links and the survivor's values before the merge are stored here."""

    _name = "crm.partner.merge.record"
    _description = "Contact Merge (Undo Log)"
    _order = "create_date desc, id desc"
    _rec_name = "dst_partner_id"

    dst_partner_id = fields.Many2one(
        "res.partner", "Kept Contact", required=True, readonly=True, index=True, ondelete="cascade",
        context={"active_test": False})
    src_partner_ids = fields.Many2many(
        "res.partner", "crm_partner_merge_record_partner_rel", "record_id", "partner_id",
        string="Merged Contacts", readonly=True, context={"active_test": False},
        help="Archived by the merge; deleted for good when the undo period ends.")
    state = fields.Selection(
        [("done", "Merged"), ("undone", "Undone")], default="done", required=True, readonly=True)
    link_data = fields.Json(readonly=True, default=list, copy=False)
    values_before = fields.Json(readonly=True, default=dict, copy=False)
    link_count = fields.Integer("Moved Links", compute="_compute_link_count")
    undo_deadline = fields.Datetime("Undo Until", compute="_compute_undo_deadline")
    can_undo = fields.Boolean(compute="_compute_undo_deadline")

    @api.depends("link_data")
    def _compute_link_count(self):
        for record in self:
            record.link_count = len(record.link_data or [])

    @api.depends("create_date", "state")
    def _compute_undo_deadline(self):
        now = fields.Datetime.now()
        for record in self:
            record.undo_deadline = record.create_date and record.create_date + timedelta(days=UNDO_DAYS)
            record.can_undo = record.state == "done" and bool(record.undo_deadline) and record.undo_deadline > now

    # ------------------------------------------------------------
    # Filled during the merge (by base.partner.merge.automatic.wizard)
    # ------------------------------------------------------------

    @api.private
    def _snapshot_values(self, partner):
        """The survivor's own values that a merge may change: the stored, non-computed scalar fields
        Odoo's ``_update_values`` writes, those the user may read (a binary only as "was empty")."""
        values = {}
        for name in partner.fields_get(attributes=["type"]):
            field = partner._fields[name]
            if (not field.store or field.compute or field.type in ("many2many", "one2many")
                    or name in models.MAGIC_COLUMNS or name in ("id", "active", "display_name")):
                continue
            value = partner[name]
            if field.type == "binary":
                if not value:
                    values[name] = False
                continue
            values[name] = self._serialize(field, value)
        return values

    @api.model
    def _serialize(self, field, value):
        if field.type == "many2one":
            return value.id
        if field.type == "date":
            return fields.Date.to_string(value) if value else False
        if field.type == "datetime":
            return fields.Datetime.to_string(value) if value else False
        return value

    @api.private
    def _keep_changed_values(self, snapshot):
        """Keep only what the merge really changed on the survivor."""
        self.ensure_one()
        partner = self.dst_partner_id
        partner.invalidate_recordset()
        current = self._snapshot_values(partner)
        changed = {name: value for name, value in snapshot.items() if current.get(name, False) != value}
        self.values_before = changed

    # ------------------------------------------------------------
    # Undo and purge
    # ------------------------------------------------------------

    def action_undo(self):
        """Restore the archived cards, move their links back and give the kept card its values back."""
        # the log is read-only for everyone: who may read a merge (own or all, see the record rules) undoes it
        self.check_access("read")
        for record in self:
            # two undos of one merge: the second waits, then sees it undone (a retried transaction re-reads)
            self.env.cr.execute(SQL("SELECT 1 FROM crm_partner_merge_record WHERE id = %s FOR UPDATE", record.id))
            record.invalidate_recordset(["state"])
            record._check_undo_allowed()
            record._undo()
        return True

    def _check_undo_allowed(self):
        self.ensure_one()
        if self.state != "done":
            raise UserError(self.env._("This merge of %(partner)s is already undone.",
                                       partner=self.dst_partner_id.display_name))
        if not self.can_undo:
            raise UserError(self.env._(
                "The merge into %(partner)s is older than %(days)s days: it can no longer be undone.",
                partner=self.dst_partner_id.display_name, days=UNDO_DAYS))
        # a later merge that moved the same links must be undone first
        later = self.sudo().search([
            ("state", "=", "done"), ("id", ">", self.id),
            "|", ("src_partner_ids", "in", self.dst_partner_id.ids),
            ("dst_partner_id", "in", self.src_partner_ids.ids),
        ], limit=1)
        if later or not self.dst_partner_id.active:
            raise UserError(self.env._(
                "%(partner)s was merged again afterwards: undo that merge first.",
                partner=self.dst_partner_id.display_name))

    def _undo(self):
        self.ensure_one()
        dst = self.dst_partner_id
        sources = self.src_partner_ids.exists()
        self.env.flush_all()
        for table, column, key_column, key, src_value, dst_value in reversed(self.link_data or []):
            # the link moves back only if it still points to the kept card
            self.env.cr.execute(SQL(
                "UPDATE %(table)s SET %(column)s = %(src)s WHERE %(key_column)s = %(key)s AND %(column)s = %(dst)s",
                table=SQL.identifier(table), column=SQL.identifier(column),
                key_column=SQL.identifier(key_column), key=key, src=src_value, dst=dst_value))
        self.env.invalidate_all()
        sources.action_unarchive()
        values = dict(self.values_before or {})
        if values:
            dst.write(values)
        self.sudo().state = "undone"
        names = ", ".join(sources.mapped("display_name"))
        dst.message_post(body=Markup("<p>%s</p>") % self.env._(
            "Merge undone: %(partners)s restored with their links.", partners=names))

    @api.model
    def _cron_purge_expired(self):
        """Merges older than the undo period: the archived cards are deleted for good, the log goes."""
        limit = fields.Datetime.now() - timedelta(days=UNDO_DAYS)
        expired = self.search([("create_date", "<", limit)])
        for record in expired.filtered(lambda r: r.state == "done"):
            for partner in record.src_partner_ids.exists().filtered(lambda p: not p.active):
                try:
                    with self.env.cr.savepoint():
                        partner.unlink()
                except (psycopg2.Error, UserError):  # a card still referenced (or protected) stays archived
                    _logger.info("Merged contact %s is still referenced: kept archived", partner.id)
        expired.unlink()

