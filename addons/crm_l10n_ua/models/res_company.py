from odoo import models


class ResCompany(models.Model):
    _inherit = "res.company"

    def _crm_l10n_ua_ensure_warehouse(self, name, code):
        """Give the companies a warehouse when stock is installed (the demo's orders need one).

        stock's ``res.company.create`` makes a warehouse for a new company only under tests, and the
        Kyiv company comes from l10n_ua's demo; stock is not a dependency of this addon, hence the
        check on the registry.
        """
        if "stock.warehouse" not in self.env:
            return
        warehouses = self.env["stock.warehouse"].sudo()  # configuration made at install, not by a user
        for company in self:
            if not warehouses.search_count([("company_id", "=", company.id)]):
                warehouses.create({"name": name, "code": code, "company_id": company.id})
