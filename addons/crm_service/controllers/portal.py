from odoo import http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import plaintext2html

TICKETS_PER_PAGE = 20


class CrmServicePortal(CustomerPortal):
    """Customer side of the service desk.

    Reads go through the portal user's own environment, so the record rules
    (own company's tickets, published articles) decide; writes the portal user
    has no right for are done with ``sudo()`` only after that check.
    """

    # ------------------------------------------------------------ helpers

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "crm_service_ticket_count" in counters:
            Ticket = request.env["crm.service.ticket"]
            values["crm_service_ticket_count"] = (
                Ticket.search_count(self._crm_service_ticket_domain()) if Ticket.has_access("read") else 0
            )
        return values

    def _crm_service_ticket_domain(self):
        partner = request.env.user.partner_id
        return [("commercial_partner_id", "=", partner.commercial_partner_id.id)]

    def _crm_service_ticket_or_404(self, ticket_id, access_token=None):
        try:
            return self._document_check_access("crm.service.ticket", ticket_id, access_token=access_token)
        except (AccessError, MissingError):
            # same answer for "not yours" and "does not exist": guessing ids reveals nothing
            raise request.not_found() from None

    def _crm_service_default_team(self):
        # teams are configuration portal users cannot read; we only pick one for routing
        return request.env["crm.service.team"].sudo().search(
            [("company_id", "in", [False, request.env.company.id])], limit=1)

    def _crm_service_form_values(self, **extra):
        values = self._prepare_portal_layout_values()
        values.update({
            "categories": request.env["crm.service.category"].search([]),
            # sudo: the public catalogue of saleable products; portal users have no product ACL
            "products": request.env["product.product"].sudo().search(
                [("sale_ok", "=", True)], limit=200, order="name"),
            "page_name": "crm_service_ticket_new",
        })
        values.update(extra)
        return values

    def _crm_service_product(self, product_id):
        """A saleable product chosen on a form (catalogue data; portal users have no product ACL)."""
        if not product_id or not str(product_id).isdigit():
            return request.env["product.product"]
        # sudo: catalogue data only, limited to one saleable product by id
        return request.env["product.product"].sudo().search(
            [("id", "=", int(product_id)), ("sale_ok", "=", True)], limit=1)

    # ------------------------------------------------------------ tickets

    @http.route(["/my/tickets", "/my/tickets/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_crm_service_tickets(self, page=1, **kw):
        Ticket = request.env["crm.service.ticket"]
        domain = self._crm_service_ticket_domain()
        count = Ticket.search_count(domain)
        pager = portal_pager(url="/my/tickets", total=count, page=page, step=TICKETS_PER_PAGE)
        tickets = Ticket.search(domain, order="id desc", limit=TICKETS_PER_PAGE, offset=pager["offset"])
        request.session["my_crm_service_tickets_history"] = tickets.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update({"tickets": tickets, "pager": pager, "page_name": "crm_service_tickets",
                       "default_url": "/my/tickets"})
        return request.render("crm_service.portal_my_tickets", values)

    @http.route("/my/tickets/<int:ticket_id>", type="http", auth="public", website=True)
    def portal_my_crm_service_ticket(self, ticket_id, access_token=None, **kw):
        ticket_sudo = self._crm_service_ticket_or_404(ticket_id, access_token)
        values = self._prepare_portal_layout_values()
        values.update({"ticket": ticket_sudo, "page_name": "crm_service_ticket",
                       "message": kw.get("message")})
        values = self._get_page_view_values(
            ticket_sudo, access_token, values, "my_crm_service_tickets_history", False, **kw)
        return request.render("crm_service.portal_my_ticket", values)

    @http.route("/my/tickets/new", type="http", auth="user", website=True, methods=["GET"])
    def portal_crm_service_ticket_form(self, **kw):
        return request.render("crm_service.portal_ticket_new", self._crm_service_form_values())

    @http.route("/my/tickets/new", type="http", auth="user", website=True, methods=["POST"])
    def portal_crm_service_ticket_submit(self, subject=None, description=None, category_id=None,
                                         product_id=None, serial_number=None, **kw):
        subject = (subject or "").strip()
        if not subject:
            return request.render("crm_service.portal_ticket_new", self._crm_service_form_values(
                error=request.env._("Please give your request a subject."), description=description))
        partner = request.env.user.partner_id
        category = request.env["crm.service.category"].browse(
            int(category_id) if category_id and str(category_id).isdigit() else []).exists()
        team = self._crm_service_default_team()
        # portal users cannot create tickets directly: the values are whitelisted here and the
        # customer is forced to the logged-in user's own partner, so sudo() cannot be abused
        ticket = request.env["crm.service.ticket"].sudo().create({
            "name": subject[:200],
            "description": plaintext2html(description or ""),
            "partner_id": partner.id,
            "channel": "portal",
            "category_id": category.id,
            "product_id": self._crm_service_product(product_id).id,
            "serial_number": (serial_number or "").strip()[:64] or False,
            "team_id": team.id,
            "company_id": (team.company_id or request.env.company).id,
        })
        ticket.message_subscribe(partner_ids=partner.ids)
        return request.redirect(f"/my/tickets/{ticket.id}")

    @http.route("/my/tickets/<int:ticket_id>/reply", type="http", auth="user", website=True, methods=["POST"])
    def portal_crm_service_ticket_reply(self, ticket_id, message=None, access_token=None, **kw):
        ticket_sudo = self._crm_service_ticket_or_404(ticket_id, access_token)
        if (message or "").strip():
            # access checked above; posting as the customer's own partner
            ticket_sudo._portal_customer_reply(request.env.user.partner_id, plaintext2html(message.strip()))
        return request.redirect(f"/my/tickets/{ticket_id}#discussion")

    @http.route("/my/tickets/<int:ticket_id>/rate", type="http", auth="user", website=True, methods=["POST"])
    def portal_crm_service_ticket_rate(self, ticket_id, rating=None, feedback=None, access_token=None, **kw):
        ticket_sudo = self._crm_service_ticket_or_404(ticket_id, access_token)
        if not ticket_sudo.is_closed or not str(rating or "").isdigit() or not 1 <= int(rating) <= 5:
            return request.redirect(f"/my/tickets/{ticket_id}")
        partner = request.env.user.partner_id
        # Odoo's rating flow: a token per customer, then rating_apply (sudo after the access check)
        token = ticket_sudo._rating_get_access_token(partner)
        ticket_sudo.rating_apply(int(rating), token=token, feedback=feedback)
        return request.redirect(f"/my/tickets/{ticket_id}?message=rated")

    # ------------------------------------------------------------ knowledge base

    @http.route("/my/knowledge", type="http", auth="user", website=True)
    def portal_crm_service_articles(self, search=None, **kw):
        domain = [("is_published", "=", True)]
        if search:
            domain += ["|", ("name", "ilike", search), ("keywords", "ilike", search)]
        values = self._prepare_portal_layout_values()
        values.update({
            "articles": request.env["crm.service.article"].search(domain, limit=100),
            "search": search, "page_name": "crm_service_articles",
        })
        return request.render("crm_service.portal_articles", values)

    @http.route("/my/knowledge/<int:article_id>", type="http", auth="user", website=True)
    def portal_crm_service_article(self, article_id, **kw):
        article = request.env["crm.service.article"].search(
            [("id", "=", article_id), ("is_published", "=", True)])
        if not article:
            raise request.not_found()
        values = self._prepare_portal_layout_values()
        values.update({"article": article, "page_name": "crm_service_article", "voted": kw.get("voted")})
        return request.render("crm_service.portal_article", values)

    @http.route("/my/knowledge/<int:article_id>/vote", type="http", auth="user", website=True, methods=["POST"])
    def portal_crm_service_article_vote(self, article_id, helpful=None, **kw):
        article = request.env["crm.service.article"].search(
            [("id", "=", article_id), ("is_published", "=", True)])
        if not article:
            raise request.not_found()
        # the portal user may read the published article (checked by the search above);
        # the counter itself is a write they have no right for
        article.sudo()._vote(helpful == "yes")
        return request.redirect(f"/my/knowledge/{article_id}?voted=1")

    # ------------------------------------------------------------ collaborative CRM

    @http.route("/my/reverse-pricing", type="http", auth="user", website=True, methods=["GET"])
    def portal_crm_service_reverse_pricing_form(self, **kw):
        values = self._crm_service_form_values(page_name="crm_service_reverse_pricing")
        return request.render("crm_service.portal_reverse_pricing", values)

    @http.route("/my/reverse-pricing", type="http", auth="user", website=True, methods=["POST"])
    def portal_crm_service_reverse_pricing_submit(self, product_id=None, target_price=None, quantity=None,
                                                  requirements=None, **kw):
        product = self._crm_service_product(product_id)
        try:
            price = float(target_price or 0)
            qty = float(quantity or 1)
        except ValueError:
            price = qty = 0.0
        if not product or price <= 0 or qty <= 0:
            values = self._crm_service_form_values(
                page_name="crm_service_reverse_pricing",
                error=request.env._("Choose a product and give a positive price and quantity."))
            return request.render("crm_service.portal_reverse_pricing", values)
        # sudo: portal users cannot create deals; the lead is built only from the
        # logged-in customer's own partner and the validated form values above
        request.env["crm.lead"].sudo()._crm_service_create_reverse_pricing(
            request.env.user.partner_id, product, price, qty, requirements)
        return request.redirect("/my/reverse-pricing/thanks")

    @http.route("/my/reverse-pricing/thanks", type="http", auth="user", website=True)
    def portal_crm_service_reverse_pricing_thanks(self, **kw):
        values = self._prepare_portal_layout_values()
        values["page_name"] = "crm_service_reverse_pricing"
        return request.render("crm_service.portal_reverse_pricing_thanks", values)

    @http.route("/my/feedback", type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_crm_service_feedback(self, product_id=None, feedback=None, **kw):
        if request.httprequest.method == "POST" and (feedback or "").strip():
            product = self._crm_service_product(product_id)
            team = self._crm_service_default_team()
            # whitelisted values, customer forced to the logged-in user (see ticket submission)
            request.env["crm.service.ticket"].sudo().create({
                "name": request.env._("Product feedback: %(product)s",
                                      product=product.display_name or request.env._("general")),
                "description": plaintext2html(feedback.strip()),
                "partner_id": request.env.user.partner_id.id,
                "channel": "web",
                "priority": "0",
                "product_id": product.id,
                "team_id": team.id,
                "company_id": (team.company_id or request.env.company).id,
            })
            return request.redirect("/my/tickets")
        values = self._crm_service_form_values(page_name="crm_service_feedback")
        return request.render("crm_service.portal_feedback", values)
