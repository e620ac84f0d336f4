from ast import literal_eval

from odoo import api, fields, models
from odoo.addons.crm_core.models.models import PrivacySheet
from odoo.exceptions import ValidationError
from odoo.fields import Command, Domain
from odoo.tools import SQL


class CrmSegment(models.Model):
    """A saved selection of partners: a domain evaluated when used, or a frozen list."""

    _name = "crm.segment"
    _description = "Partner Segment"
    _inherit = ["mail.thread"]
    _order = "name, id"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    description = fields.Text()
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    model_name = fields.Char(default="res.partner", readonly=True, required=True)
    mode = fields.Selection(
        [("dynamic", "Dynamic"), ("frozen", "Frozen")], default="dynamic", required=True, tracking=True,
        help="Dynamic: the filter is evaluated each time the segment is used. "
        "Frozen: the partners captured by 'Freeze now' are used as they are.",
    )
    domain = fields.Char("Filter", default="[]", required=True)
    partner_ids = fields.Many2many(
        "res.partner", "crm_segment_res_partner_rel", "segment_id", "partner_id", string="Frozen Partners",
    )
    frozen_date = fields.Datetime(readonly=True, copy=False)
    partner_count = fields.Integer("Partners", compute="_compute_partner_count")
    campaign_ids = fields.Many2many(
        "utm.campaign", "crm_segment_utm_campaign_rel", "segment_id", "campaign_id", string="Campaigns",
    )
    mailing_list_id = fields.Many2one("mailing.list", copy=False, ondelete="set null")
    last_sync_date = fields.Datetime(readonly=True, copy=False)

    @api.constrains("domain")
    def _check_domain(self):
        for segment in self:
            try:
                self.env["res.partner"].search_count(segment._parse_domain(), limit=1)
            except Exception as error:
                raise ValidationError(self.env._(
                    "The filter of segment %(segment)s is invalid: %(error)s", segment=segment.name, error=error,
                )) from error

    def _parse_domain(self):
        self.ensure_one()
        return Domain(literal_eval(self.domain or "[]"))

    def _get_partner_domain(self):
        """Domain of the partners of the segments in ``self`` (their union)."""
        domains = [
            Domain("id", "in", segment.partner_ids.ids) if segment.mode == "frozen" else segment._parse_domain()
            for segment in self
        ]
        return Domain.OR(domains) if domains else Domain.FALSE

    def _get_partners(self, channel=None):
        """Partners of the segments, optionally only those reachable through ``channel``."""
        domain = self._get_partner_domain()
        if channel:
            domain &= self.env["res.partner"]._get_reachable_domain(channel)
        return self.env["res.partner"].search(domain)

    def _compute_partner_count(self):
        # a segment is a filter of its own: one count per segment is inherent
        for segment in self:
            if segment.mode == "frozen":
                segment.partner_count = len(segment.partner_ids)
            elif segment.id or segment.domain:
                try:
                    segment.partner_count = self.env["res.partner"].search_count(segment._parse_domain())
                except (ValueError, SyntaxError):
                    segment.partner_count = 0
            else:
                segment.partner_count = 0

    def action_freeze(self):
        self.check_access("write")
        now = fields.Datetime.now()
        for segment in self:
            partners = self.env["res.partner"].search(segment._parse_domain())
            segment.write({
                "mode": "frozen", "partner_ids": [Command.set(partners.ids)], "frozen_date": now,
            })
        return True

    def action_unfreeze(self):
        self.check_access("write")
        self.write({"mode": "dynamic", "frozen_date": False})
        return True

    @api.readonly
    def action_preview(self):
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Segment %(segment)s", segment=self.name),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": list(self._get_partner_domain()),
            "context": {"create": False},
        }

    def action_sync_mailing_list(self):
        """Mirror the segment into its mailing list, e-mail reachable partners only.

        Missing contacts are created (or existing ones subscribed), contacts no
        longer in the segment are unsubscribed; opt-outs made in the list stay.
        """
        # the sync creates mailing lists and contacts: only who may change the segment
        self.check_access("write")
        messages = []
        for segment in self:
            added, removed = segment._sync_mailing_list()
            messages.append(self.env._(
                "%(segment)s — subscribed: %(added)s, removed: %(removed)s",
                segment=segment.name, added=added, removed=removed,
            ))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"type": "success", "title": self.env._("Mailing list synchronised"),
                       "message": "; ".join(messages)},
        }

    def _sync_mailing_list(self):
        """Two syncs of a segment at once must not create its contacts twice.

        The segment row is locked first (waiting for a sync in progress); a sync
        committed after this transaction's snapshot wrote ``last_sync_date``, so
        the lock fails with a serialization error and the RPC layer retries the
        call in a fresh snapshot that sees the contacts already created.
        """
        self.ensure_one()
        # a serialization failure here is expected and retried: not a "bad query" for the server log
        self.env.cr.execute(SQL("SELECT id FROM %s WHERE id = %s FOR UPDATE", SQL.identifier(self._table), self.id),
                            log_exceptions=False)
        if not self.mailing_list_id:
            self.mailing_list_id = self.env["mailing.list"].create({"name": self.name})
        mailing_list = self.mailing_list_id
        partners = self._get_partners(channel="email").filtered("email_normalized")
        wanted = {}
        for partner in partners:
            wanted.setdefault(partner.email_normalized, partner)

        Subscription = self.env["mailing.subscription"]
        subscriptions = Subscription.search([("list_id", "=", mailing_list.id)])
        subscribed = {sub.contact_id.email_normalized: sub for sub in subscriptions}
        stale = subscriptions.filtered(lambda sub: sub.contact_id.email_normalized not in wanted)
        stale.unlink()

        missing = [email for email in wanted if email not in subscribed]
        Contact = self.env["mailing.contact"]
        existing = {
            contact.email_normalized: contact
            for contact in Contact.search([("email_normalized", "in", missing)], order="id")
        } if missing else {}
        Subscription.create([
            {"contact_id": existing[email].id, "list_id": mailing_list.id} for email in missing if email in existing
        ])
        Contact.create([
            {
                "name": wanted[email].name,
                "email": wanted[email].email,
                "company_name": wanted[email].commercial_company_name or False,
                "country_id": wanted[email].country_id.id,
                "list_ids": [Command.link(mailing_list.id)],
            }
            for email in missing if email not in existing
        ])
        self.last_sync_date = fields.Datetime.now()
        return len(missing), len(stale)

    # -- personal data requests (privacy.lookup.wizard, see crm_core/models/models.py) ----------

    @api.model
    def _crm_privacy_lookup(self, persons, emails):
        sheets = super()._crm_privacy_lookup(persons, emails)
        sheets.append(PrivacySheet(self.env._("Segments"), Domain("partner_ids", "in", persons.ids),
                                   ["name", "mode", "frozen_date"]))
        return sheets

    def _crm_privacy_anonymize(self, persons, emails):
        """The persons leave the segments; the segments stay."""
        self.write({"partner_ids": [Command.unlink(partner_id) for partner_id in persons.ids]})
        return [*super()._crm_privacy_anonymize(persons, emails), "partner_ids"]
