from datetime import date, datetime

from odoo.fields import Domain
from odoo.tests import tagged
from odoo.tools import SQL

from .common import CrmAnalyticsCommon


@tagged("post_install", "-at_install")
class TestCrmAnalyticsService(CrmAnalyticsCommon):
    """Four tickets of one service team, opened 2025-03-01 08:00.

    T1 answered after 2 h, closed after 24 h within SLA, rated 5;
    T2 answered after 4 h, closed after 48 h, SLA breached, rated 3;
    T3 answered after 6 h, still open, at risk; T4 open, unanswered, no SLA.
    Backlog 2, first response 4 h, resolution 36 h, SLA compliance 1/2 = 50 %, satisfaction 4.0.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.service_team = cls.env["crm.service.team"].create({"name": "AN Service"})
        cls.stage_open = cls.env["crm.service.stage"].create({"name": "AN open", "sequence": 901})
        cls.stage_done = cls.env["crm.service.stage"].create({"name": "AN done", "sequence": 902, "is_closed": True})
        cls.tickets = cls.env["crm.service.ticket"].create([
            {"name": f"AN ticket {index}", "team_id": cls.service_team.id, "partner_id": cls.customers[0].id,
             "stage_id": cls.stage_open.id}
            for index in range(1, 5)
        ])
        opened = datetime(2025, 3, 1, 8)
        plan = [
            (cls.stage_done, datetime(2025, 3, 1, 10), datetime(2025, 3, 2, 8), "in_time", True),
            (cls.stage_done, datetime(2025, 3, 1, 12), datetime(2025, 3, 3, 8), "breached", False),
            (cls.stage_open, datetime(2025, 3, 1, 14), None, "at_risk", False),
            (cls.stage_open, None, None, None, False),
        ]
        cls.env.flush_all()
        # the figures are set as crm_service's SLA engine would leave them: the report only reads them
        for ticket, (stage, response, closed, status, reached) in zip(cls.tickets, plan, strict=True):
            cls.env.cr.execute(SQL(
                """UPDATE crm_service_ticket SET stage_id = %s, is_closed = %s, date_open = %s,
                          first_response_date = %s, closed_date = %s, sla_status = %s, sla_reached = %s
                    WHERE id = %s""",
                stage.id, stage.is_closed, opened, response, closed, status, reached, ticket.id))
        # a known world: other tickets (demo data) are archived for these tests
        cls.env.cr.execute(SQL("UPDATE crm_service_ticket SET active = FALSE WHERE id <> ALL(%s)", cls.tickets.ids))
        model = cls.env["ir.model"]._get("crm.service.ticket")
        cls.env["rating.rating"].create([
            {"res_model_id": model.id, "res_id": cls.tickets[0].id, "rating": 5, "consumed": True},
            {"res_model_id": model.id, "res_id": cls.tickets[1].id, "rating": 3, "consumed": True},
        ])
        cls.env.invalidate_all()

    def test_service_kpis_by_team(self):
        Service = self.env["crm.analytics.service"].with_user(self.viewer)
        [[count, backlog, breached, response, resolution, compliance, satisfaction]] = Service._read_group(
            [("team_id", "=", self.service_team.id)], [],
            ["nbr:sum", "backlog:sum", "breached:sum", "first_response_hours:avg", "resolution_hours:avg",
             "sla_compliance:avg", "satisfaction:avg"])
        self.assertEqual((count, backlog, breached), (4, 2, 1))
        self.assertAlmostEqual(response, 4.0)
        self.assertAlmostEqual(resolution, 36.0)
        self.assertAlmostEqual(compliance, 50.0)
        self.assertAlmostEqual(satisfaction, 4.0)

    def test_dashboard_service_block(self):
        dashboard = self.env["crm.analytics.dashboard"].with_user(self.viewer)
        service = dashboard._get_service(Domain([("date_open", ">=", date(2025, 3, 1)),
                                                 ("date_open", "<", date(2025, 4, 1))]))
        self.assertEqual(service["tickets"], 4)
        self.assertEqual((service["sla_compliance"], service["resolution_hours"]), (50.0, 36.0))
