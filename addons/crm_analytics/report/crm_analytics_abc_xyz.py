from odoo import fields, models
from odoo.tools import SQL

from ..models.res_partner import ABC_CLASSES, XYZ_CLASSES


class CrmAnalyticsAbcXyz(models.Model):
    """The ABC-XYZ matrix of customers and products, read from their stored classes."""

    _name = "crm.analytics.abc.xyz"
    _description = "CRM Analytics: ABC-XYZ Matrix"
    _auto = False
    _order = "revenue desc"

    name = fields.Char(readonly=True)
    kind = fields.Selection([("customer", "Customer"), ("product", "Product")], readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", string="Product", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    abc_class = fields.Selection(ABC_CLASSES, string="ABC Class", readonly=True)
    xyz_class = fields.Selection(XYZ_CLASSES, string="XYZ Class", readonly=True)
    abc_xyz_class = fields.Char(string="ABC-XYZ", readonly=True)
    company_currency_id = fields.Many2one("res.currency", string="Currency", readonly=True)
    revenue = fields.Monetary(readonly=True, currency_field="company_currency_id",
                              help="Revenue of the classification period, in the company currency.")
    cv = fields.Float(string="Demand Variation (%)", readonly=True, aggregator="avg", digits=(16, 1))
    nbr = fields.Integer(string="Count", readonly=True, aggregator="sum")

    @property
    def _table_query(self):
        # ids: customers keep their partner id * 2, products their template id * 2 + 1 (unique, stable);
        # shared partners and products (no company) are classified in the current company's currency
        return SQL(
            """
            SELECT r.*, COALESCE(c.currency_id, %(currency)s) AS company_currency_id
              FROM (
            SELECT p.id * 2 AS id, p.name, 'customer' AS kind, p.id AS partner_id, NULL::int AS product_tmpl_id,
                   p.company_id, p.crm_abc_class AS abc_class, p.crm_xyz_class AS xyz_class,
                   COALESCE(p.crm_abc_class, '-') || COALESCE(p.crm_xyz_class, '-') AS abc_xyz_class,
                   p.crm_abc_revenue AS revenue, p.crm_xyz_cv AS cv, 1 AS nbr
              FROM res_partner p
             WHERE p.crm_abc_class IS NOT NULL OR p.crm_xyz_class IS NOT NULL
            UNION ALL
            SELECT t.id * 2 + 1, COALESCE(t.name->>%(lang)s, t.name->>'en_US'), 'product', NULL, t.id, t.company_id,
                   t.crm_abc_class, t.crm_xyz_class,
                   COALESCE(t.crm_abc_class, '-') || COALESCE(t.crm_xyz_class, '-'),
                   t.crm_abc_revenue, t.crm_xyz_cv, 1
              FROM product_template t
             WHERE t.crm_abc_class IS NOT NULL OR t.crm_xyz_class IS NOT NULL
              ) r
              LEFT JOIN res_company c ON c.id = r.company_id
            """,
            lang=self.env.lang or "en_US",
            currency=self.env.company.currency_id.id,
        )
