from odoo import api, fields, models


class CrmDealLine(models.Model):
    """A product the customer is about to buy, priced from their pricelist.

    The lines are the price information a seller needs while selling; they
    become the quotation's order lines (see ``crm.lead.action_create_quotation``).
    """

    _name = "crm.deal.line"
    _description = "Deal Product Line"
    _order = "lead_id, sequence, id"
    _check_company_auto = True

    lead_id = fields.Many2one(
        "crm.lead", string="Deal", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="lead_id.company_id", store=True, index=True)
    product_id = fields.Many2one(
        "product.product", required=True, check_company=True,
        domain="[('sale_ok', '=', True)]")
    product_template_id = fields.Many2one(related="product_id.product_tmpl_id", string="Product Template")
    name = fields.Text(
        string="Description", compute="_compute_name", store=True, readonly=False, precompute=True)
    product_uom_qty = fields.Float(
        string="Quantity", digits="Product Unit", default=1.0, required=True)
    product_uom_id = fields.Many2one(
        "uom.uom", string="Unit", compute="_compute_product_uom_id",
        store=True, readonly=False, precompute=True)
    pricelist_id = fields.Many2one(related="lead_id.crm_pricelist_id")
    currency_id = fields.Many2one(related="lead_id.crm_currency_id", store=True)
    price_unit = fields.Float(
        string="Unit Price", digits="Product Price",
        compute="_compute_price_unit", store=True, readonly=False, precompute=True)
    technical_price_unit = fields.Float(
        digits="Product Price", help="Last price given by the pricelist; a different unit price was negotiated.")
    discount = fields.Float(string="Discount (%)", digits="Discount", default=0.0)
    price_subtotal = fields.Monetary(
        string="Subtotal", compute="_compute_price_subtotal", store=True,
        currency_field="currency_id")

    _check_qty_positive = models.Constraint(
        "CHECK(product_uom_qty >= 0)", "The quantity of a deal line cannot be negative.")
    _check_discount_range = models.Constraint(
        "CHECK(discount >= 0 AND discount <= 100)", "A discount is a percentage between 0 and 100.")

    @api.depends("product_id")
    def _compute_name(self):
        for line in self:
            if line.product_id:
                line.name = line.product_id.with_context(
                    lang=line.lead_id.partner_id.lang or self.env.lang,
                ).get_product_multiline_description_sale()

    @api.depends("product_id")
    def _compute_product_uom_id(self):
        for line in self:
            if not line.product_uom_id or line.product_id.uom_id != line.product_uom_id:
                line.product_uom_id = line.product_id.uom_id

    @api.depends("product_id", "product_uom_id", "product_uom_qty", "lead_id.crm_pricelist_id")
    def _compute_price_unit(self):
        """Odoo's pricelist engine prices the line as a sale order line would;
        a price negotiated by hand is kept (as on sale order lines)."""
        for line in self:
            currency = line.currency_id or line.company_id.currency_id or self.env.company.currency_id
            if line.product_id and currency.compare_amounts(line.technical_price_unit, line.price_unit):
                continue
            price = line._get_pricelist_price() if line.product_id else 0.0
            line.update({"price_unit": price, "technical_price_unit": price})

    def _get_pricelist_price(self):
        self.ensure_one()
        lead = self.lead_id
        company = lead.company_id or self.env.company
        currency = lead.crm_currency_id or company.currency_id
        product = self.product_id.with_company(company)
        pricelist = lead.crm_pricelist_id
        if not pricelist:
            return product.currency_id._convert(
                product.lst_price, currency, company, fields.Date.context_today(self))
        return pricelist._get_product_price(
            product, self.product_uom_qty or 1.0,
            currency=currency, uom=self.product_uom_id, date=fields.Datetime.now(),
        )

    @api.depends("product_uom_qty", "price_unit", "discount", "currency_id")
    def _compute_price_subtotal(self):
        for line in self:
            amount = line.product_uom_qty * line.price_unit * (1.0 - line.discount / 100.0)
            line.price_subtotal = line.currency_id.round(amount) if line.currency_id else amount

    def _add_precomputed_values(self, vals_list):  # pylint: disable=missing-return
        # the pricelist price computed at creation is not a negotiated one;
        # the ORM method fills vals_list in place and returns nothing
        super()._add_precomputed_values(vals_list)
        for vals in vals_list:
            if "price_unit" in vals and "technical_price_unit" not in vals:
                vals["technical_price_unit"] = vals["price_unit"]

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.lead_id._crm_deal_lines_changed()
        return lines

    def write(self, vals):
        leads = self.lead_id
        res = super().write(vals)
        (leads | self.lead_id)._crm_deal_lines_changed()
        return res

    def unlink(self):
        leads = self.lead_id
        res = super().unlink()
        leads.exists()._crm_deal_lines_changed()
        return res
