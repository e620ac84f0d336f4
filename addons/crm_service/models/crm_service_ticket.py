import logging
from collections import defaultdict
from datetime import timedelta, timezone

import pytz

from odoo import api, fields, models
from odoo.addons.crm_core.models.models import PrivacySheet
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.service.model import retrying
from odoo.tools import SQL

from ..tools import article_match
from ..tools.sla_clock import WorkClock, sla_status

_logger = logging.getLogger(__name__)
UTC = timezone.utc

TICKET_PRIORITIES = [("0", "Low"), ("1", "Normal"), ("2", "High"), ("3", "Urgent")]
SLA_STATUSES = [("in_time", "In Time"), ("at_risk", "At Risk"), ("breached", "Breached")]
STATUS_RANK = {"in_time": 0, "at_risk": 1, "breached": 2}
SLA_WRITE_CHUNK = 5000
# fields whose change can change the applicable SLA policy
SLA_POLICY_FIELDS = {"team_id", "category_id", "priority", "agreement_id", "partner_id", "company_id"}
# SLA bookkeeping: written by the SLA engine only (as superuser), never by users through the ORM/RPC
SLA_ENGINE_FIELDS = {
    "sla_policy_id", "sla_response_deadline", "sla_resolve_deadline", "sla_status", "sla_time_left",
    "sla_response_percent", "sla_resolve_percent", "sla_paused_hours", "sla_reached",
    "first_response_date", "closed_date", "date_open",
}


class CrmServiceTicket(models.Model):
    _name = "crm.service.ticket"
    _description = "Service Ticket"
    _inherit = ["mail.thread.cc", "mail.activity.mixin", "rating.mixin", "portal.mixin"]
    _order = "priority desc, id desc"
    _rec_names_search = ["name", "number"]
    _primary_email = "email_from"

    number = fields.Char(string="Ticket No.", readonly=True, copy=False, index="trigram", default="/")
    name = fields.Char(string="Subject", required=True, tracking=True)
    description = fields.Html()
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company)
    partner_id = fields.Many2one("res.partner", string="Customer", tracking=True, index=True)
    commercial_partner_id = fields.Many2one(
        "res.partner", related="partner_id.commercial_partner_id", store=True, index=True,
        string="Customer Company")
    contact_id = fields.Many2one(
        "res.partner", index="btree_not_null",
        domain="[('commercial_partner_id', '=', commercial_partner_id)]",
        help="The person who asked; the customer is their company.")
    email_from = fields.Char(string="Email")
    channel = fields.Selection(
        [("email", "Email"), ("phone", "Phone"), ("portal", "Portal"), ("web", "Web Form")],
        default="phone", required=True)
    category_id = fields.Many2one("crm.service.category", tracking=True)
    product_id = fields.Many2one("product.product")
    sale_order_id = fields.Many2one(
        "sale.order", string="Sales Order",
        domain="[('partner_id', 'child_of', commercial_partner_id)]")
    invoice_id = fields.Many2one(
        "account.move",
        domain="[('move_type', 'in', ('out_invoice', 'out_refund')), "
        "('partner_id', 'child_of', commercial_partner_id)]")
    serial_number = fields.Char()
    priority = fields.Selection(TICKET_PRIORITIES, default="1", required=True, tracking=True)
    team_id = fields.Many2one("crm.service.team", tracking=True, index=True)
    user_id = fields.Many2one(
        "res.users", string="Assigned To", tracking=True, index=True, domain=[("share", "=", False)])
    stage_id = fields.Many2one(
        "crm.service.stage", tracking=True, index=True, copy=False, ondelete="restrict",
        group_expand="_read_group_stage_ids",
        domain="['|', ('team_ids', '=', False), ('team_ids', 'in', team_id)]")
    is_closed = fields.Boolean(related="stage_id.is_closed", store=True, index=True)
    is_waiting_customer = fields.Boolean(related="stage_id.is_waiting_customer")
    date_open = fields.Datetime(
        string="Opened On", default=fields.Datetime.now, required=True, readonly=True, copy=False,
        help="Start of the SLA clock.")
    first_response_date = fields.Datetime(readonly=True, copy=False)
    closed_date = fields.Datetime(readonly=True, copy=False)
    hours_spent = fields.Float(help="Working hours spent on the ticket, counted against the agreement.")
    color = fields.Integer()
    # agreement and SLA
    agreement_id = fields.Many2one(
        "crm.service.agreement", string="Service Agreement", tracking=True, index=True,
        domain="[('partner_id', '=', commercial_partner_id), ('state', '=', 'active')]")
    no_agreement = fields.Boolean(
        compute="_compute_no_agreement", store=True,
        help="The customer had no valid service agreement: the default SLA policy applies.")
    sla_policy_id = fields.Many2one("crm.service.sla.policy", string="SLA Policy", readonly=True, copy=False)
    sla_response_deadline = fields.Datetime(string="Response Due", readonly=True, copy=False)
    sla_resolve_deadline = fields.Datetime(string="Resolution Due", readonly=True, copy=False)
    sla_status = fields.Selection(SLA_STATUSES, string="SLA Status", readonly=True, copy=False, index=True)
    sla_time_left = fields.Float(
        string="Working Hours Left", readonly=True, copy=False,
        help="Working hours left before the resolution deadline (negative once breached).")
    sla_response_percent = fields.Float(string="Response Target Used (%)", readonly=True, copy=False)
    sla_resolve_percent = fields.Float(string="Resolution Target Used (%)", readonly=True, copy=False)
    sla_paused_hours = fields.Float(string="Paused Working Hours", readonly=True, copy=False)
    sla_reached = fields.Boolean(
        string="Within SLA", readonly=True, copy=False,
        help="Closed and every target met (agreement measures).")
    pause_ids = fields.One2many("crm.service.ticket.pause", "ticket_id", string="SLA Pauses", readonly=True)
    escalation_log_ids = fields.One2many("crm.service.escalation.log", "ticket_id", readonly=True)
    # knowledge
    article_ids = fields.Many2many(
        "crm.service.article", "crm_service_article_ticket_rel", "ticket_id", "article_id",
        string="Articles")
    suggested_article_ids = fields.Many2many(
        "crm.service.article", compute="_compute_suggested_article_ids", string="Suggested Articles")

    _check_hours_spent = models.Constraint("CHECK(hours_spent >= 0)", "Hours spent cannot be negative.")
    _open_sla_idx = models.Index("(sla_status, team_id) WHERE is_closed IS NOT TRUE")

    # ------------------------------------------------------------ computes

    @api.depends("agreement_id")
    def _compute_no_agreement(self):
        for ticket in self:
            ticket.no_agreement = not ticket.agreement_id

    @api.depends("name", "category_id", "article_ids")
    def _compute_suggested_article_ids(self):
        articles = self.env["crm.service.article"].search_fetch(
            [], ["name", "keywords", "category_id"], limit=500)
        candidates = [
            (article.id, f"{article.name} {article.keywords or ''}", article.category_id.id)
            for article in articles
        ]
        for ticket in self:
            ranked = article_match.rank(ticket.name, ticket.category_id.id, candidates)
            ticket.suggested_article_ids = [(6, 0, [a for a in ranked if a not in ticket.article_ids.ids])]

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for ticket in self:
            ticket.access_url = f"/my/service-requests/{ticket.id}"
        return result

    @api.depends("number", "name")
    def _compute_display_name(self):
        for ticket in self:
            ticket.display_name = f"{ticket.number} {ticket.name}" if ticket.number not in (False, "/") \
                else ticket.name

    # ------------------------------------------------------------ constraints

    @api.constrains("partner_id", "contact_id", "company_id", "sale_order_id", "invoice_id", "agreement_id")
    def _check_customer_documents(self):
        """Linked documents are the customer's own, in the ticket's company.

        The view domains guide agents; this guards RPC, imports and the portal page, which
        prints a tokenised link to the linked order and invoice. Read as superuser: a document
        the caller cannot read is precisely one to refuse. The messages never name the foreign
        document, so guessing ids reveals nothing.
        """
        for ticket in self.sudo():
            customer, company = ticket.commercial_partner_id, ticket.company_id
            if ticket.contact_id and ticket.contact_id.commercial_partner_id != customer:
                raise ValidationError(self.env._(
                    "The contact of ticket %(ticket)s must be a person of its customer.",
                    ticket=ticket.display_name))
            order = ticket.sale_order_id
            if order and (order.partner_id.commercial_partner_id != customer or order.company_id != company):
                raise ValidationError(self.env._(
                    "The sales order of ticket %(ticket)s must be an order of its customer in its company.",
                    ticket=ticket.display_name))
            invoice = ticket.invoice_id
            if invoice and (invoice.move_type not in ("out_invoice", "out_refund")
                            or invoice.partner_id.commercial_partner_id != customer
                            or invoice.company_id != company):
                raise ValidationError(self.env._(
                    "The invoice of ticket %(ticket)s must be a customer invoice or credit note of its "
                    "customer in its company.", ticket=ticket.display_name))
            agreement = ticket.agreement_id
            if agreement and (agreement.partner_id.commercial_partner_id != customer
                              or agreement.company_id != company):
                raise ValidationError(self.env._(
                    "The service agreement of ticket %(ticket)s must be an agreement of its customer in its "
                    "company.", ticket=ticket.display_name))

    @api.constrains("company_id", "product_id", "team_id", "user_id", "article_ids")
    def _check_company_records(self):
        """Product, team and articles of another company, or a portal user as assignee, are refused."""
        for ticket in self.sudo():
            company = ticket.company_id
            foreign = (ticket.product_id.company_id | ticket.team_id.company_id
                       | ticket.article_ids.company_id) - company
            if foreign:
                raise ValidationError(self.env._(
                    "The product, team and articles of ticket %(ticket)s must belong to its company "
                    "%(company)s.", ticket=ticket.display_name, company=company.display_name))
            if ticket.user_id.share:
                raise ValidationError(self.env._(
                    "Ticket %(ticket)s can only be assigned to an employee.", ticket=ticket.display_name))

    def _portal_linked_documents(self):
        """The ticket's order and invoice the customer may open from the portal (or empty recordsets).

        Only documents of the ticket's own customer and company, and only posted invoices: the
        portal prints links carrying access tokens.
        """
        self.ensure_one()
        # sudo: the caller passed the portal access check on the ticket; we only compare owners
        ticket = self.sudo()
        customer, company = ticket.commercial_partner_id, ticket.company_id
        order = ticket.sale_order_id.filtered(
            lambda o: customer and o.partner_id.commercial_partner_id == customer and o.company_id == company
            and o.state in ("sent", "sale"))
        invoice = ticket.invoice_id.filtered(
            lambda m: customer and m.partner_id.commercial_partner_id == customer and m.company_id == company
            and m.state == "posted" and m.move_type in ("out_invoice", "out_refund"))
        return order, invoice

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        team_id = self.env.context.get("default_team_id")
        search_domain = ["|", ("id", "in", stages.ids), ("team_ids", "=", False)]
        if team_id:
            search_domain = ["|", ("team_ids", "in", [team_id])] + search_domain
        return stages.search(search_domain)

    # ------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        sequence = self.env["ir.sequence"]
        vals_list = [self._customer_and_contact_vals(vals) for vals in vals_list]
        for vals in vals_list:
            if vals.get("number", "/") == "/":
                # the ticket sequence is configuration, not data an agent or portal user reads
                vals["number"] = sequence.sudo().next_by_code("crm.service.ticket") or "/"
            if (vals.get("contact_id") or vals.get("partner_id")) and not vals.get("email_from"):
                vals["email_from"] = self.env["res.partner"].browse(
                    vals.get("contact_id") or vals["partner_id"]).email
            if not vals.get("stage_id"):
                team = self.env["crm.service.team"].browse(vals.get("team_id"))
                vals["stage_id"] = self.env["crm.service.team"]._default_stage(team).id
        tickets = super().create(vals_list)
        tickets.filtered(lambda t: not t.agreement_id)._link_agreement()
        for team, team_tickets in tickets.filtered(lambda t: t.team_id and not t.user_id).grouped("team_id").items():
            team._assign_tickets(team_tickets)
        tickets._assign_sla_policy()
        tickets._recompute_sla()
        return tickets

    def write(self, vals):
        if SLA_ENGINE_FIELDS & set(vals) and not self.env.su:
            raise AccessError(self.env._("SLA figures are computed by the service desk and cannot be edited."))
        if vals.get("partner_id") and "contact_id" not in vals:
            vals = self._customer_and_contact_vals(vals)
        if "partner_id" in vals and "contact_id" not in vals:
            # another customer: the previous customer's person does not stay as the contact
            customer = self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id
            self.filtered(lambda t: t.contact_id and t.contact_id.commercial_partner_id != customer).contact_id = False
        if "stage_id" in vals:
            self._track_stage_change(self.env["crm.service.stage"].browse(vals["stage_id"]))
        relink_agreement = bool({"partner_id", "company_id"} & set(vals)) and "agreement_id" not in vals
        if relink_agreement:
            # the previous customer's agreement must not survive the change (see
            # _check_customer_documents); the new customer's one is linked below
            vals = dict(vals, agreement_id=False)
        result = super().write(vals)
        if SLA_POLICY_FIELDS & set(vals):
            if relink_agreement:
                self._link_agreement()
            self._assign_sla_policy()
        if SLA_POLICY_FIELDS & set(vals) or "stage_id" in vals:
            self._recompute_sla()
        return result

    @api.model
    def _customer_and_contact_vals(self, vals):
        """Values where the customer is the commercial entity and the contact the person.

        Every creation path (portal, e-mail gateway, RPC, import) may name the person as the
        customer: the person becomes the contact, their company the customer. An explicit
        contact is kept as given (the constraint checks it belongs to the customer).
        """
        if not vals.get("partner_id") or vals.get("contact_id"):
            return vals
        partner = self.env["res.partner"].browse(vals["partner_id"])
        if partner.is_company:
            return vals
        return dict(vals, partner_id=partner.commercial_partner_id.id, contact_id=partner.id)

    @api.onchange("partner_id")
    def _onchange_partner_id_contact(self):
        """An agent picking a person fills both: the customer is their company, the contact the person."""
        partner = self.partner_id
        if partner and not partner.is_company:
            self.contact_id = partner
            self.partner_id = partner.commercial_partner_id
        elif self.contact_id and self.contact_id.commercial_partner_id != partner.commercial_partner_id:
            self.contact_id = False

    @api.onchange("contact_id")
    def _onchange_contact_id_customer(self):
        if self.contact_id and not self.partner_id:
            self.partner_id = self.contact_id.commercial_partner_id

    def _track_stage_change(self, new_stage):
        """Open or close SLA pauses and stamp the closing date when the stage changes."""
        now = fields.Datetime.now()
        new_pauses = []
        for ticket in self:
            old_stage = ticket.stage_id
            if old_stage == new_stage:
                continue
            if new_stage.is_waiting_customer and not old_stage.is_waiting_customer:
                new_pauses.append({"ticket_id": ticket.id, "date_start": now, "stage_id": new_stage.id})
            elif old_stage.is_waiting_customer and not new_stage.is_waiting_customer:
                # SLA bookkeeping: whoever may move the ticket closes its pause, but nobody edits
                # pause records by hand (agents have read access only)
                ticket.pause_ids.sudo().filtered(lambda p: not p.date_end).write({"date_end": now})
        if new_pauses:
            # same reason: pauses follow stage changes only
            self.env["crm.service.ticket.pause"].sudo().create(new_pauses)
        # closing dates belong to the SLA engine (see SLA_ENGINE_FIELDS)
        if new_stage.is_closed:
            self.filtered(lambda t: not t.closed_date).sudo().closed_date = now
        else:
            # same reason: a reopened ticket loses its closing date
            self.filtered("closed_date").sudo().closed_date = False

    def _link_agreement(self):
        """Attach the customer's valid agreement (covering the product, when it lists products)."""
        partners = self.commercial_partner_id
        if not partners:
            return
        today = fields.Date.context_today(self)
        agreements = self.env["crm.service.agreement"].search([
            ("partner_id", "in", partners.ids), ("state", "=", "active"),
            ("date_start", "<=", today), "|", ("date_end", "=", False), ("date_end", ">=", today),
        ], order="date_start desc, id desc")
        by_partner = agreements.grouped("partner_id")
        for ticket in self:
            candidates = by_partner.get(ticket.commercial_partner_id, agreements.browse())
            ticket.agreement_id = next((
                agreement for agreement in candidates
                if agreement.company_id in (ticket.company_id, self.env["res.company"])
                and (not agreement.product_ids or ticket.product_id in agreement.product_ids)
            ), False)

    def _assign_sla_policy(self):
        policies = self.env["crm.service.sla.policy"]._find_for_tickets(self)
        for policy, tickets in self.grouped(lambda t: policies[t.id]).items():
            # the engine picks the policy; users cannot choose it (see SLA_ENGINE_FIELDS)
            tickets.sudo().sla_policy_id = policy

    # ------------------------------------------------------------ SLA computation

    def _sla_rows(self):
        """One query for everything the SLA clock needs about the tickets."""
        self.env.cr.execute(SQL(
            """
            SELECT t.id, t.date_open, t.closed_date, t.first_response_date,
                   p.response_hours, p.resolve_hours, p.at_risk_percent,
                   team.resource_calendar_id,
                   COALESCE(NULLIF(contact.tz, ''), NULLIF(partner.tz, ''), NULLIF(company.tz, ''), cal.tz,
                            'UTC') AS tz
              FROM crm_service_ticket t
              JOIN crm_service_sla_policy p ON p.id = t.sla_policy_id
         LEFT JOIN crm_service_team team ON team.id = t.team_id
         LEFT JOIN resource_calendar cal ON cal.id = team.resource_calendar_id
         LEFT JOIN res_partner contact ON contact.id = t.contact_id
         LEFT JOIN res_partner partner ON partner.id = t.partner_id
         LEFT JOIN res_partner company ON company.id = t.commercial_partner_id
             WHERE t.id = ANY(%s)
            """,
            list(self.ids),
        ))
        return self.env.cr.fetchall()

    def _sla_pauses(self):
        self.env.cr.execute(SQL(
            "SELECT ticket_id, date_start, date_end FROM crm_service_ticket_pause WHERE ticket_id = ANY(%s)",
            list(self.ids),
        ))
        pauses = defaultdict(list)
        for ticket_id, start, end in self.env.cr.fetchall():
            pauses[ticket_id].append((start.replace(tzinfo=UTC), end and end.replace(tzinfo=UTC)))
        return pauses

    @api.model
    def _sla_clock(self, calendar_id, tz_name, start, end):
        """Working intervals of a calendar in the customer's time zone, as a WorkClock (UTC)."""
        if not calendar_id:
            return WorkClock([(start, end)])
        try:
            tz = pytz.timezone(tz_name)
        except pytz.UnknownTimeZoneError:
            tz = pytz.utc
        calendar = self.env["resource.calendar"].browse(calendar_id)
        intervals = calendar._work_intervals_batch(start, end, tz=tz)[False]
        return WorkClock([(s.astimezone(UTC), e.astimezone(UTC)) for s, e, _r in intervals])

    def _recompute_sla(self, now=None):
        """Deadlines, status, time left for the tickets, grouped by calendar and time zone.

        Working intervals are computed once per (calendar, time zone, window); values are
        written with one UPDATE per chunk, so the cron can handle 100,000 open tickets.
        Returns the number of tickets updated.
        """
        if not self:
            return 0
        # partners' time zones, teams' calendars and policies are read by SQL below
        self.env.flush_all()
        now = (now or fields.Datetime.now()).replace(tzinfo=UTC)
        rows = self._sla_rows()
        pauses = self._sla_pauses()
        groups = defaultdict(list)
        for row in rows:
            groups[row[7], row[8]].append(row)
        values = []
        for (calendar_id, tz_name), group in groups.items():
            values += self._sla_values_for_group(calendar_id, tz_name, group, pauses, now)
        self._sla_write(values)
        no_policy = self.browse(sorted(set(self.ids) - {row[0] for row in rows}))
        if no_policy:
            # the SLA figures are the engine's bookkeeping (SLA_ENGINE_FIELDS), never user input
            no_policy.sudo().write({
                "sla_status": False, "sla_response_deadline": False, "sla_resolve_deadline": False,
                "sla_time_left": 0.0, "sla_response_percent": 0.0, "sla_resolve_percent": 0.0,
                "sla_paused_hours": 0.0, "sla_reached": False,
            })
        return len(values)

    def _sla_values_for_group(self, calendar_id, tz_name, group, pauses, now):
        horizon_start = min(row[1] for row in group).replace(tzinfo=UTC) - timedelta(days=1)
        latest = max([now] + [row[2].replace(tzinfo=UTC) for row in group if row[2]])
        max_hours = max(max(row[4], row[5]) for row in group)
        span = timedelta(days=14 + int(max_hours / 8 * 7 / 5) + 1)
        pending = group
        values = []
        while pending:
            clock = self._sla_clock(calendar_id, tz_name, horizon_start, latest + span)
            retry = []
            for row in pending:
                computed = self._sla_values_for_ticket(clock, row, pauses.get(row[0], ()), now)
                if computed is None:
                    retry.append(row)
                else:
                    values.append(computed)
            if retry and span > timedelta(days=3660):
                _logger.warning("SLA deadline beyond ten years for tickets %s", [row[0] for row in retry])
                break
            pending = retry
            span *= 2
        return values

    @staticmethod
    def _sla_values_for_ticket(clock, row, pauses, now):
        """Figures of one ticket: a handful of binary searches on the group's clock."""
        ticket_id, date_open, closed, responded, response_h, resolve_h, at_risk_percent = row[:7]
        start = date_open.replace(tzinfo=UTC)
        closed = closed and closed.replace(tzinfo=UTC)
        responded = responded and responded.replace(tzinfo=UTC)
        share = (at_risk_percent or 80.0) / 100.0
        resolve_stop = closed or now
        response_stop = responded or closed or now
        worked_start = clock.worked_until(start)
        paused = clock.paused(pauses, lower=start, upper=resolve_stop) if pauses else 0.0
        response_paused = (
            clock.paused(pauses, lower=start, upper=response_stop) if pauses and response_stop != resolve_stop
            else paused)
        resolve_target = resolve_h * 3600.0
        response_target = response_h * 3600.0
        resolve_deadline = clock.add(start, resolve_target + paused, worked_start=worked_start)
        response_deadline = clock.add(start, response_target + response_paused, worked_start=worked_start)
        if resolve_deadline is None or response_deadline is None:
            return None
        resolve_elapsed = max(0.0, clock.worked_until(resolve_stop) - worked_start - paused)
        response_elapsed = max(0.0, clock.worked_until(response_stop) - worked_start - response_paused)
        resolve_status = sla_status(resolve_elapsed, resolve_target, share, done=bool(closed))
        response_status = sla_status(response_elapsed, response_target, share, done=bool(responded or closed))
        status = resolve_status if STATUS_RANK[resolve_status] >= STATUS_RANK[response_status] else response_status
        return (
            ticket_id,
            response_deadline.replace(tzinfo=None),
            resolve_deadline.replace(tzinfo=None),
            status,
            round((resolve_target - resolve_elapsed) / 3600.0, 4),
            round(response_elapsed / (response_h * 36.0), 2) if response_h else 100.0,
            round(resolve_elapsed / (resolve_h * 36.0), 2),
            round(paused / 3600.0, 4),
            bool(closed) and status != "breached",
        )

    def _sla_write(self, values):
        """Grouped write: one UPDATE ... FROM unnest(arrays) per chunk of tickets."""
        cr = self.env.cr
        for index in range(0, len(values), SLA_WRITE_CHUNK):
            columns = list(zip(*values[index:index + SLA_WRITE_CHUNK], strict=True))
            cr.execute(SQL(
                """
                UPDATE crm_service_ticket t
                   SET sla_response_deadline = v.response_deadline,
                       sla_resolve_deadline = v.resolve_deadline,
                       sla_status = v.status,
                       sla_time_left = v.time_left,
                       sla_response_percent = v.response_percent,
                       sla_resolve_percent = v.resolve_percent,
                       sla_paused_hours = v.paused_hours,
                       sla_reached = v.reached
                  FROM unnest(%s::int[], %s::timestamp[], %s::timestamp[], %s::varchar[], %s::float8[],
                              %s::float8[], %s::float8[], %s::float8[], %s::bool[])
                       AS v(id, response_deadline, resolve_deadline, status, time_left,
                            response_percent, resolve_percent, paused_hours, reached)
                 WHERE t.id = v.id
                """,
                *(list(column) for column in columns),
            ))
        if values:
            self.invalidate_model([
                "sla_response_deadline", "sla_resolve_deadline", "sla_status", "sla_time_left",
                "sla_response_percent", "sla_resolve_percent", "sla_paused_hours", "sla_reached",
            ])

    @api.model
    def _cron_recompute_sla(self, batch_size=20000):
        """Refresh the SLA figures of open tickets, committing per batch."""
        tickets = self.search([("is_closed", "=", False), ("sla_policy_id", "!=", False)], order="id")
        cron = self.env["ir.cron"]
        # commit per batch only inside the cron run (outside, the caller owns the transaction)
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        done = 0
        for index in range(0, len(tickets), batch_size):
            batch_ids = tickets.ids[index:index + batch_size]
            recompute = self.browse(batch_ids)._recompute_sla
            # a ticket of the batch written by a user or another worker since this transaction's snapshot:
            # in a cron run Odoo's ``retrying`` recomputes the batch in a fresh one instead of ending the run
            done_batch = retrying(recompute, self.env) if in_cron else recompute()
            done += done_batch
            remaining = max(len(tickets) - index - batch_size, 0)
            if in_cron and cron._commit_progress(len(batch_ids), remaining=remaining) <= 0:
                break
        return done

    # ------------------------------------------------------------ mail

    @api.private
    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """Incoming email on a team alias: a new ticket from its sender."""
        values = dict(custom_values or {})
        values.setdefault("name", msg_dict.get("subject") or self.env._("No Subject"))
        values.setdefault("channel", "email")
        values.setdefault("email_from", msg_dict.get("email_from"))
        author_id = msg_dict.get("author_id")
        if not author_id and msg_dict.get("email_from"):
            author_id = self._partner_find_from_emails_single([msg_dict["email_from"]], no_create=True).id
        values.setdefault("partner_id", author_id or False)
        values.setdefault("description", msg_dict.get("body"))
        if values.get("team_id"):
            team = self.env["crm.service.team"].browse(values["team_id"])
            values.setdefault("company_id", team.company_id.id or self.env.company.id)
        # the gateway runs as superuser: do not make it the assignee
        return super(CrmServiceTicket, self.with_context(default_user_id=False)).message_new(
            msg_dict, custom_values=values)

    @api.private
    def message_update(self, msg_dict, update_vals=None):
        """A customer's reply reopens a ticket waiting for them."""
        waiting = self.filtered("stage_id.is_waiting_customer")
        for ticket in waiting:
            stage = self.env["crm.service.team"]._default_stage(ticket.team_id)
            if stage:
                ticket.stage_id = stage
        return super().message_update(msg_dict, update_vals=update_vals)

    def _message_post_after_hook(self, message, msg_vals):
        """The first public answer of an employee is the first response of the SLA."""
        result = super()._message_post_after_hook(message, msg_vals)
        author_user = message.author_id.user_ids[:1]
        if (not self.first_response_date and message.message_type == "comment"
                and not message.subtype_id.internal and author_user and not author_user.share):
            # writing the response timestamp is part of the SLA bookkeeping the author triggers
            self.sudo().first_response_date = message.date or fields.Datetime.now()
            self.sudo()._recompute_sla()
        return result

    def _rating_get_partner(self):
        """The person who asked rates the resolution, not their company."""
        return self.contact_id or super()._rating_get_partner()

    def _rating_get_operator(self):
        return self.user_id.partner_id if self.user_id else self.env["res.partner"]

    # ------------------------------------------------------------ actions

    def action_assign_to_me(self):
        self.env["res.users"]._crm_service_check_group()
        self.user_id = self.env.user

    def action_create_article(self):
        """Turn the solution of a solved ticket into a draft knowledge article."""
        self.env["res.users"]._crm_service_check_group()
        self.ensure_one()
        if not self.is_closed:
            raise UserError(self.env._("Only a solved ticket can become an article (ticket %(name)s).",
                                       name=self.display_name))
        article = self.env["crm.service.article"].create({
            "name": self.name,
            "category_id": self.env["crm.service.article.category"]._from_ticket_category(self.category_id).id,
            "body": self.description,
            "keywords": self.category_id.name or "",
            "ticket_ids": [(4, self.id)],
            "source_ticket_id": self.id,
        })
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.service.article",
            "res_id": article.id,
            "view_mode": "form",
        }

    def action_link_suggested_articles(self):
        self.env["res.users"]._crm_service_check_group()
        for ticket in self:
            ticket.article_ids |= ticket.suggested_article_ids

    def _portal_customer_reply(self, partner, body):
        """Post the customer's portal reply; a ticket waiting for them goes back to work."""
        self.ensure_one()
        message = self.message_post(
            body=body, author_id=partner.id, message_type="comment", subtype_xmlid="mail.mt_comment")
        if self.stage_id.is_waiting_customer:
            stage = self.env["crm.service.team"]._default_stage(self.team_id)
            if stage:
                self.stage_id = stage
        return message

    # -- personal data requests (privacy.lookup.wizard, see crm_core/models/models.py) ----------

    @api.model
    def _crm_privacy_own_domain(self, persons, emails):
        """The persons' own tickets: theirs as customer or contact, or written from their address."""
        return (Domain("partner_id", "in", persons.ids) | Domain("contact_id", "in", persons.ids)
                | self._crm_privacy_address_domain("email_from", emails))

    @api.model
    def _crm_privacy_lookup(self, persons, emails):
        sheets = super()._crm_privacy_lookup(persons, emails)
        sheets += [
            PrivacySheet(self.env._("Tickets"), self._crm_privacy_own_domain(persons, emails), [
                "number", "name", "partner_id", "contact_id", "email_from", "channel", "serial_number", "stage_id",
                "date_open", "closed_date", "description"]),
            # other people's tickets with the person in copy: only the address is theirs
            PrivacySheet(self.env._("Tickets in Copy"),
                         self._crm_privacy_address_domain("email_cc", emails, address_list=True),
                         ["number", "name", "email_cc"]),
        ]
        return sheets

    def _crm_privacy_anonymize(self, persons, emails):
        """Own tickets lose their address and description (the customer stays, anonymized); other
        people's tickets lose the person's address in copy, nothing else."""
        changed = super()._crm_privacy_anonymize(persons, emails)
        own = self.filtered_domain(self._crm_privacy_own_domain(persons, emails))
        own.write({"email_from": False, "description": False})
        in_copy = self.filtered_domain(self._crm_privacy_address_domain("email_cc", emails, address_list=True))
        return [*changed, "email_from", "description", *in_copy._crm_privacy_remove_addresses("email_cc", emails)]
