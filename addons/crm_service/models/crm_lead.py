from odoo import fields, models
from odoo.tools import plaintext2html


class CrmLead(models.Model):
    _inherit = "crm.lead"

    crm_target_product_id = fields.Many2one(
        "product.product", string="Requested Product",
        help="Product a customer asked for through the portal (reverse pricing).")
    crm_target_price = fields.Monetary(
        string="Customer Target Price", currency_field="company_currency",
        help="Unit price the customer is willing to pay (reverse pricing request).")
    crm_target_quantity = fields.Float(string="Requested Quantity")
    _check_crm_target = models.Constraint(
        "CHECK(COALESCE(crm_target_price, 0) >= 0 AND COALESCE(crm_target_quantity, 0) >= 0)",
        "A requested price and quantity cannot be negative.")
    crm_from_portal = fields.Boolean(string="From the Customer Portal", readonly=True)

    def _crm_service_create_reverse_pricing(self, partner, product, price, quantity, requirements):
        """An opportunity carrying the customer's target price, from the portal."""
        description = self.env._(
            "Reverse pricing request: %(qty)s x %(product)s at %(price)s per unit.",
            qty=quantity, product=product.display_name, price=price)
        return self.create({
            "name": self.env._("Reverse pricing: %(product)s", product=product.display_name),
            "type": "opportunity",
            "partner_id": partner.id,
            # created on behalf of a portal user: they must not become the salesperson
            "user_id": False,
            "crm_target_product_id": product.id,
            "crm_target_price": price,
            "crm_target_quantity": quantity,
            "expected_revenue": price * quantity,
            "crm_from_portal": True,
            "description": plaintext2html("\n\n".join(filter(None, [description, requirements]))),
        })
