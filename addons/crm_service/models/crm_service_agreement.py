from datetime import timedelta

from odoo import api, fields, models
from odoo.addons.crm_core.models.models import PrivacySheet
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.service.model import retrying

from .res_users import SERVICE_MANAGER


class CrmServiceAgreement(models.Model):
    _name = "crm.service.agreement"
    _description = "Service Agreement"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_end desc, id desc"

    name = fields.Char(required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True,
        domain="[('is_company', '=', True)]")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    user_id = fields.Many2one("res.users", string="Account Manager", default=lambda self: self.env.user)
    date_start = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    date_end = fields.Date(tracking=True)
    sla_tier_id = fields.Many2one("crm.service.sla.tier", string="SLA Tier", required=True, tracking=True)
    product_ids = fields.Many2many(
        "product.product", string="Covered Products and Services",
        help="Empty: every product of the customer is covered.")
    hours_included = fields.Float(string="Included Hours")
    state = fields.Selection(
        [("draft", "Draft"), ("active", "Active"), ("expired", "Expired"), ("cancelled", "Cancelled")],
        default="draft", required=True, tracking=True, index=True)
    renewal_reminder_days = fields.Integer(default=30, help="Days before the end to plan the renewal.")
    renewal_activity_done = fields.Boolean(readonly=True, copy=False)
    ticket_ids = fields.One2many("crm.service.ticket", "agreement_id", string="Tickets")
    ticket_count = fields.Integer(compute="_compute_execution")
    closed_ticket_count = fields.Integer(compute="_compute_execution")
    sla_success_percent = fields.Float(
        string="Tickets within SLA (%)", compute="_compute_execution",
        help="Share of closed tickets solved within every SLA target.")
    hours_used = fields.Float(compute="_compute_execution")
    hours_remaining = fields.Float(compute="_compute_execution")

    _check_dates = models.Constraint(
        "CHECK(date_end IS NULL OR date_end >= date_start)",
        "An agreement cannot end before it starts.",
    )
    _check_hours = models.Constraint("CHECK(hours_included >= 0)", "Included hours cannot be negative.")
    _check_renewal_reminder = models.Constraint(
        "CHECK(renewal_reminder_days >= 0)", "The renewal reminder cannot be set after the end date.")

    @api.depends("ticket_ids.hours_spent", "ticket_ids.sla_reached", "ticket_ids.is_closed")
    def _compute_execution(self):
        """One grouped query for all agreements: counts, SLA success, hours."""
        stats = {
            (agreement, closed, reached): (count, hours)
            for agreement, closed, reached, count, hours in self.env["crm.service.ticket"]._read_group(
                [("agreement_id", "in", self.ids)],
                ["agreement_id", "is_closed", "sla_reached"], ["__count", "hours_spent:sum"])
        }
        for agreement in self:
            rows = {key[1:]: value for key, value in stats.items() if key[0] == agreement}
            total = sum(count for count, _hours in rows.values())
            closed = sum(count for (is_closed, _r), (count, _h) in rows.items() if is_closed)
            reached = rows.get((True, True), (0, 0.0))[0]
            agreement.ticket_count = total
            agreement.closed_ticket_count = closed
            agreement.sla_success_percent = 100.0 * reached / closed if closed else 0.0
            agreement.hours_used = sum(hours for _count, hours in rows.values())
            agreement.hours_remaining = agreement.hours_included - agreement.hours_used

    @api.constrains("partner_id", "date_start", "date_end", "state", "product_ids")
    def _check_no_overlap(self):
        for agreement in self.filtered(lambda a: a.state == "active" and not a.product_ids):
            overlapping = self.search_count([
                ("id", "!=", agreement.id), ("partner_id", "=", agreement.partner_id.id),
                ("state", "=", "active"), ("product_ids", "=", False),
                ("company_id", "=", agreement.company_id.id),
                "|", ("date_end", "=", False), ("date_end", ">=", agreement.date_start),
            ] + ([("date_start", "<=", agreement.date_end)] if agreement.date_end else []))
            if overlapping:
                raise ValidationError(self.env._(
                    "%(customer)s already has an active agreement covering every product for these dates.",
                    customer=agreement.partner_id.display_name))

    @api.constrains("partner_id", "company_id", "product_ids")
    def _check_customer_and_company(self):
        """The customer is a commercial partner; products and tickets are the agreement's company's.

        Read as superuser: a product or ticket the caller cannot read is one to refuse.
        """
        for agreement in self.sudo():
            if agreement.partner_id != agreement.partner_id.commercial_partner_id:
                raise ValidationError(self.env._(
                    "Agreement %(agreement)s must be made with the company %(company)s, not with one of its "
                    "contacts.", agreement=agreement.name,
                    company=agreement.partner_id.commercial_partner_id.display_name))
            if agreement.product_ids.company_id - agreement.company_id:
                raise ValidationError(self.env._(
                    "The products covered by agreement %(agreement)s must be sold by its company %(company)s.",
                    agreement=agreement.name, company=agreement.company_id.display_name))
            if agreement.ticket_ids.filtered(
                    lambda t, a=agreement: t.commercial_partner_id != a.partner_id or t.company_id != a.company_id):
                raise ValidationError(self.env._(
                    "Agreement %(agreement)s has tickets of another customer or company.",
                    agreement=agreement.name))

    def action_activate(self):
        self.env["res.users"]._crm_service_check_group(SERVICE_MANAGER)
        self.write({"state": "active"})

    def action_cancel(self):
        self.env["res.users"]._crm_service_check_group(SERVICE_MANAGER)
        self.write({"state": "cancelled"})

    @api.readonly
    def action_view_tickets(self):
        self.env["res.users"]._crm_service_check_group()
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_service.action_crm_service_ticket")
        action["domain"] = [("agreement_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.partner_id.id, "default_agreement_id": self.id}
        return action

    @api.model
    def _cron_agreement_lifecycle(self):
        """Expire ended agreements and plan one renewal activity N days before the end.

        Two workers at once: the agreements are claimed (``renewal_activity_done``
        written and flushed) before any activity is planned, so the later worker
        fails on the claim (REPEATABLE READ) rather than planning a second
        activity; in a cron run it rolls back and starts again in a fresh snapshot.
        """
        if self.env.context.get("ir_cron_progress_id"):
            return retrying(self._agreement_lifecycle, self.env)
        return self._agreement_lifecycle()

    @api.model
    def _agreement_lifecycle(self):
        today = fields.Date.context_today(self)
        self.search([("state", "=", "active"), ("date_end", "<", today)]).write({"state": "expired"})
        due = self.search([
            ("state", "=", "active"), ("date_end", "!=", False), ("renewal_activity_done", "=", False),
        ]).filtered(lambda a: a.date_end - timedelta(days=a.renewal_reminder_days) <= today)
        due.renewal_activity_done = True
        due.flush_recordset(["renewal_activity_done"])  # the claim: conflicts with another worker's here
        for agreement in due:
            agreement.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=agreement.date_end - timedelta(days=agreement.renewal_reminder_days),
                summary=self.env._("Renew the service agreement %(name)s", name=agreement.name),
                user_id=agreement.user_id.id or self.env.uid,
            )
        return due

    @api.model
    def _crm_privacy_lookup(self, persons, emails):
        """Exported; contracts are kept as they are by an anonymization: their partner is anonymized."""
        sheets = super()._crm_privacy_lookup(persons, emails)
        sheets.append(PrivacySheet(self.env._("Service Agreements"), Domain("partner_id", "in", persons.ids),
                                   ["name", "partner_id", "date_start", "date_end", "sla_tier_id", "state"]))
        return sheets
