from odoo import fields, models
from odoo.tools import SQL


class CrmAnalyticsService(models.Model):
    """Service KPIs per ticket: backlog, response and resolution times, SLA compliance, satisfaction.

    Times are elapsed hours (calendar time; the SLA status itself is crm_service's
    working-time clock).  ``sla_compliance`` is 100/0 on closed tickets that had an
    SLA policy (0 when their final SLA status is "Breached", the same test as the
    ``breached`` count), empty otherwise, so its average is the compliance rate; ``satisfaction`` is the
    ticket's average customer rating.
    """

    _name = "crm.analytics.service"
    _description = "CRM Analytics: Service KPIs"
    _auto = False
    _rec_name = "ticket_id"
    _order = "date_open desc"

    ticket_id = fields.Many2one("crm.service.ticket", readonly=True)
    date_open = fields.Datetime(string="Opened On", readonly=True)
    closed_date = fields.Datetime(string="Closed On", readonly=True)
    team_id = fields.Many2one("crm.service.team", string="Service Team", readonly=True)
    category_id = fields.Many2one("crm.service.category", readonly=True)
    agreement_id = fields.Many2one("crm.service.agreement", readonly=True)
    user_id = fields.Many2one("res.users", string="Agent", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    sla_status = fields.Selection(
        [("in_time", "In Time"), ("at_risk", "At Risk"), ("breached", "Breached")], string="SLA Status", readonly=True)
    is_closed = fields.Boolean(string="Closed", readonly=True)
    nbr = fields.Integer(string="# Tickets", readonly=True, aggregator="sum")
    backlog = fields.Integer(string="# Open", readonly=True, aggregator="sum")
    breached = fields.Integer(string="# SLA Breached", readonly=True, aggregator="sum")
    first_response_hours = fields.Float(string="First Response (h)", readonly=True, aggregator="avg", digits=(16, 1))
    resolution_hours = fields.Float(string="Resolution (h)", readonly=True, aggregator="avg", digits=(16, 1))
    sla_compliance = fields.Float(
        string="SLA Compliance (%)", readonly=True, aggregator="avg", digits=(16, 1),
        help="Share of the closed tickets with an SLA policy whose SLA status is not Breached.")
    satisfaction = fields.Float(string="Satisfaction (1-5)", readonly=True, aggregator="avg", digits=(16, 2))

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT t.id, t.id AS ticket_id, t.date_open, t.closed_date, t.team_id, t.category_id, t.agreement_id,
                   t.user_id, t.partner_id, t.company_id, t.sla_status, COALESCE(t.is_closed, FALSE) AS is_closed,
                   1 AS nbr,
                   CASE WHEN COALESCE(t.is_closed, FALSE) THEN 0 ELSE 1 END AS backlog,
                   CASE WHEN t.sla_status = 'breached' THEN 1 ELSE 0 END AS breached,
                   EXTRACT(EPOCH FROM (t.first_response_date - t.date_open)) / 3600.0 AS first_response_hours,
                   CASE WHEN t.is_closed
                        THEN EXTRACT(EPOCH FROM (t.closed_date - t.date_open)) / 3600.0 END AS resolution_hours,
                   CASE WHEN t.is_closed AND t.sla_status IS NOT NULL
                        THEN CASE WHEN t.sla_status = 'breached' THEN 0.0 ELSE 100.0 END END AS sla_compliance,
                   r.satisfaction
              FROM crm_service_ticket t
              LEFT JOIN (
                    SELECT res_id, AVG(rating) AS satisfaction
                      FROM rating_rating
                     WHERE res_model = 'crm.service.ticket' AND consumed AND rating > 0
                     GROUP BY res_id
              ) r ON r.res_id = t.id
             WHERE t.active
            """
        )
