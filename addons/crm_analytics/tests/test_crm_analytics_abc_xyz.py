from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import SQL

from .common import CrmAnalyticsCommon


@tagged("post_install", "-at_install")
class TestCrmAnalyticsAbcXyz(CrmAnalyticsCommon):
    """Three months of sales worked out by hand (period 2025-01-01 .. 2025-04-01, 3 months).

    Customers (revenue = qty x 100):  A 600/600/600 = 1800 (cv 0 -> X), B 400/600/500 = 1500
    (cv 16.3 % -> Y), D 0/200/200 = 400 (cv 70.7 % -> Z), C 100/0/0 = 100 (cv 141 % -> Z).
    Total 3800; cumulative share before each: A 0 % -> A, B 47.4 % -> A, D 86.8 % -> B, C 97.4 % -> C.
    Products: P1 1800 (qty 6/6/6 -> X), P2 1500 (4/6/5 -> Y), P3 500 (1/2/2: cv 28.3 % -> Z);
    P1 A, P2 A (47.4 %), P3 B (86.8 %).  E only bought before the period: no class.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        a, b, c, d, e = cls.customers
        p1, p2, p3 = cls.products
        cls.orders = cls.env["sale.order"]
        for month, qty_b in ((1, 4), (2, 6), (3, 5)):
            cls.orders |= cls.create_order(a, [(p1, 6, 100.0)], date(2025, month, 10))
            cls.orders |= cls.create_order(b, [(p2, qty_b, 100.0)], date(2025, month, 11))
        cls.orders |= cls.create_order(c, [(p3, 1, 100.0)], date(2025, 1, 20))
        cls.orders |= cls.create_order(d, [(p3, 2, 100.0)], date(2025, 2, 20))
        cls.orders |= cls.create_order(d, [(p3, 2, 100.0)], date(2025, 3, 20))
        cls.orders |= cls.create_order(e, [(p1, 100, 100.0)], date(2024, 12, 20))
        # a known world: other confirmed orders (demo data) must not weigh in the shares
        cls.env.flush_all()
        cls.env.cr.execute(SQL("UPDATE sale_order SET state = 'cancel' WHERE state = 'sale' AND id <> ALL(%s)",
                               cls.orders.ids))
        cls.classifier = cls.env["crm.analytics.classifier"]

    def test_customers_and_products_are_classified(self):
        e = self.customers[4]
        e.invalidate_recordset()
        self.env.cr.execute(SQL("UPDATE res_partner SET crm_abc_class = 'A' WHERE id = %s", e.id))
        self.classifier.recompute_abc_xyz(date(2025, 1, 1), date(2025, 4, 1))
        classes = [(p.crm_abc_class, p.crm_xyz_class) for p in self.customers]
        self.assertEqual(classes, [("A", "X"), ("A", "Y"), ("C", "Z"), ("B", "Z"), (False, False)])
        self.assertAlmostEqual(self.customers[0].crm_abc_revenue, 1800.0)
        self.assertAlmostEqual(self.customers[1].crm_xyz_cv, 16.3, places=1)
        templates = self.products.product_tmpl_id
        self.assertEqual([(t.crm_abc_class, t.crm_xyz_class) for t in templates], [("A", "X"), ("A", "Y"), ("B", "Z")])
        self.assertAlmostEqual(templates[2].crm_xyz_cv, 28.3, places=1)

    def test_thresholds_come_from_the_settings(self):
        self.env["ir.config_parameter"].set_param("crm_analytics.abc_a", "40")
        self.classifier.recompute_abc_xyz(date(2025, 1, 1), date(2025, 4, 1))
        # A 0 % -> A; B 47.4 % < 55 % -> B; D 86.8 % -> C; C -> C
        self.assertEqual(self.customers[:4].mapped("crm_abc_class"), ["A", "B", "C", "C"])

    def test_matrix_report_counts_the_classes(self):
        self.classifier.recompute_abc_xyz(date(2025, 1, 1), date(2025, 4, 1))
        matrix = self.env["crm.analytics.abc.xyz"].with_user(self.viewer)
        groups = {
            (abc, xyz): count for abc, xyz, count in matrix._read_group(
                [("kind", "=", "customer"), ("partner_id", "in", self.customers.ids)],
                ["abc_class", "xyz_class"], ["nbr:sum"])}
        self.assertEqual(groups, {("A", "X"): 1, ("A", "Y"): 1, ("B", "Z"): 1, ("C", "Z"): 1})

    def test_recomputation_is_set_based(self):
        # same number of queries whatever the number of customers: aggregates in, UPDATE ... FROM unnest out
        self.classifier.recompute_abc_xyz(date(2025, 1, 1), date(2025, 4, 1))
        with self.assertQueryCount(__system__=10):
            self.classifier.recompute_abc_xyz(date(2025, 1, 1), date(2025, 4, 1))

    def test_only_sales_managers_recompute(self):
        with self.assertRaises(AccessError):
            self.classifier.with_user(self.seller_1).recompute_all()
        self.classifier.with_user(self.head).recompute_all()
