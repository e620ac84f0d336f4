import logging

from psycopg2.errors import UniqueViolation

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.service.model import MAX_TRIES_ON_CONCURRENCY_FAILURE, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class CrmServiceEscalationRule(models.Model):
    """Act once on a ticket when it has used a share of its SLA target."""

    _name = "crm.service.escalation.rule"
    _description = "Service Escalation Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company")
    team_id = fields.Many2one("crm.service.team", help="Empty: every team.")
    target = fields.Selection(
        [("response", "First Response"), ("resolve", "Resolution")], default="resolve", required=True)
    threshold_percent = fields.Float(
        string="At (% of target)", default=80.0, required=True,
        help="The rule fires once the ticket has used this share of its target (100 = breached).")
    action = fields.Selection(
        [("notify", "Notify the Team Leader"),
         ("raise_priority", "Raise Priority"),
         ("assign_leader", "Reassign to the Team Leader")],
        default="notify", required=True)
    log_ids = fields.One2many("crm.service.escalation.log", "rule_id", readonly=True)

    _check_threshold = models.Constraint(
        "CHECK(threshold_percent > 0)", "The escalation threshold must be positive.")

    def _candidate_domain(self):
        self.ensure_one()
        percent_field = "sla_response_percent" if self.target == "response" else "sla_resolve_percent"
        domain = Domain([
            ("is_closed", "=", False),
            ("sla_policy_id", "!=", False),
            (percent_field, ">=", self.threshold_percent),
        ])
        if self.target == "response":
            domain &= Domain("first_response_date", "=", False)
        if self.team_id:
            domain &= Domain("team_id", "=", self.team_id.id)
        if self.company_id:
            domain &= Domain("company_id", "=", self.company_id.id)
        return domain

    def _lock_candidates(self, limit=1000):
        """Tickets due for this rule, locked for this transaction.

        ``FOR UPDATE SKIP LOCKED``: a ticket being escalated by another worker is skipped,
        never waited for nor escalated twice; the NOT EXISTS keeps the cron idempotent.
        """
        self.ensure_one()
        Ticket = self.env["crm.service.ticket"]
        query = Ticket._search(self._candidate_domain())
        table = SQL.identifier(Ticket._table)
        self.env.cr.execute(SQL(
            """
            SELECT %(table)s.id FROM %(table)s
             WHERE %(table)s.id IN %(subquery)s
               AND NOT EXISTS (SELECT 1 FROM crm_service_escalation_log log
                                WHERE log.ticket_id = %(table)s.id AND log.rule_id = %(rule)s)
             ORDER BY %(table)s.id
             LIMIT %(limit)s
               FOR UPDATE SKIP LOCKED
            """,
            table=table, subquery=query.subselect(), rule=self.id, limit=limit,
        ))
        return Ticket.browse([row[0] for row in self.env.cr.fetchall()])

    def _apply(self, tickets):
        self.ensure_one()
        if self.action == "raise_priority":
            for priority, group in tickets.grouped("priority").items():
                group.priority = str(min(int(priority) + 1, 3))
        elif self.action == "assign_leader":
            for tickets_team in tickets.grouped("team_id").values():
                leader = tickets_team.team_id.leader_id
                if leader:
                    tickets_team.user_id = leader
        activity_type = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        for ticket in tickets:
            note = self.env._(
                "Escalation %(rule)s: %(percent)s%% of the %(target)s target used.",
                rule=self.name, percent=int(self.threshold_percent),
                target=dict(self._fields["target"]._description_selection(self.env))[self.target])
            ticket.message_post(body=note, subtype_xmlid="mail.mt_note")
            recipient = ticket.team_id.leader_id or ticket.user_id
            if self.action == "notify" and recipient and activity_type:
                ticket.activity_schedule(
                    activity_type_id=activity_type.id, user_id=recipient.id,
                    summary=self.env._("Escalated: %(name)s", name=ticket.display_name), note=note)
        self.env["crm.service.escalation.log"].create([
            {"ticket_id": ticket.id, "rule_id": self.id, "action": self.action} for ticket in tickets
        ])

    @api.model
    def _cron_escalate(self, limit=1000):
        """Run every active rule; safe to run concurrently and repeatedly.

        In a cron run each chunk of ``limit`` tickets is its own transaction. A
        worker whose snapshot predates another worker's commit may lock a
        ticket the other one just escalated (REPEATABLE READ: the NOT EXISTS
        still sees no log); the unique log, or the lock of an updated ticket,
        then fails with a unique violation or a serialization failure: the
        chunk is rolled back and taken again in a fresh snapshot, which skips
        it. Outside a cron run the caller owns the transaction: one chunk per
        rule, and the error goes up to the caller's retry (RPC ``retrying``).
        """
        cron = self.env["ir.cron"]
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        done = 0
        for rule_id in self.search([]).ids:
            tries = 0
            while True:
                rule = self.browse(rule_id)
                try:
                    tickets = rule._lock_candidates(limit=limit)
                    if tickets:
                        rule._apply(tickets)
                    self.env.flush_all()
                except (*PG_CONCURRENCY_EXCEPTIONS_TO_RETRY, UniqueViolation) as error:
                    tries += 1
                    if not in_cron or tries >= MAX_TRIES_ON_CONCURRENCY_FAILURE:
                        raise
                    _logger.info("Service escalation: %s on rule %s, chunk taken again (%s/%s)",
                                 type(error).__name__, rule_id, tries, MAX_TRIES_ON_CONCURRENCY_FAILURE)
                    self.env.cr.rollback()
                    self.env.transaction.reset()
                    continue
                tries = 0
                done += len(tickets)
                if not in_cron:
                    break
                if cron._commit_progress(len(tickets)) <= 0:
                    _logger.info("Service escalation: %s ticket(s) escalated, out of time", done)
                    return done
                if len(tickets) < limit:
                    break
        _logger.info("Service escalation: %s ticket(s) escalated", done)
        return done
