import math

from odoo import http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, ValidationError
from odoo.http import request
from odoo.tools import plaintext2html

TICKETS_PER_PAGE = 20
PRODUCTS_ON_FORMS = 200
MAX_ID = 2**31 - 1  # PostgreSQL integer: a larger id is no record of ours (and would break the query)
# portal input limits (characters); longer input is refused with a message, never cut silently
MAX_SUBJECT = 200
MAX_SERIAL_NUMBER = 64
MAX_TEXT = 10000  # description, reply, feedback, requirements
MAX_RATING_COMMENT = 2000
MAX_SEARCH = 100
# reverse pricing: finite, positive and below these bounds
MAX_TARGET_PRICE = 1e9
MAX_QUANTITY = 1e6


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
        if not 0 < ticket_id <= MAX_ID:
            raise request.not_found()
        try:
            return self._document_check_access("crm.service.ticket", ticket_id, access_token=access_token)
        except (AccessError, MissingError):
            # same answer for "not yours" and "does not exist": guessing ids reveals nothing
            raise request.not_found() from None

    def _crm_service_own_ticket_or_404(self, ticket_id, access_token=None):
        """The ticket for a write of its customer (reply, rating): a share link (access token) opens
        the page to whoever holds it, but only a person of the ticket's customer writes in it."""
        ticket_sudo = self._crm_service_ticket_or_404(ticket_id, access_token)
        if not self._crm_service_is_ticket_customer(ticket_sudo):
            raise request.not_found()
        return ticket_sudo

    def _crm_service_is_ticket_customer(self, ticket_sudo):
        """Whether the visitor is a person of the ticket's customer (not only the holder of its link)."""
        return request.env.user.partner_id.commercial_partner_id == ticket_sudo.commercial_partner_id

    def _crm_service_default_team(self):
        # teams are configuration portal users cannot read; we only pick one for routing
        return request.env["crm.service.team"].sudo().search(
            [("company_id", "in", [False, request.env.company.id])], limit=1)

    def _crm_service_company(self):
        """The company the customer deals with on the portal: the one new tickets are filed in."""
        return self._crm_service_default_team().company_id or request.env.company

    def _crm_service_form_values(self, with_catalogue=False, **extra):
        """Values of the portal forms; products: what the customer bought, else (or also, with
        ``with_catalogue``) the saleable catalogue."""
        values = self._prepare_portal_layout_values()
        company = self._crm_service_company()
        ordered = self._crm_service_ordered_products(company)
        catalogue = request.env["product.product"]
        if with_catalogue or not ordered:
            # sudo: the saleable catalogue of the company; portal users have no product ACL
            catalogue = catalogue.sudo().search(
                self._crm_service_catalogue_domain(company) + [("id", "not in", ordered.ids)],
                limit=PRODUCTS_ON_FORMS, order="name")
        values.update({
            "categories": request.env["crm.service.category"].search([]),
            "ordered_products": ordered,
            "products": catalogue,
            "orders": self._crm_service_customer_orders(company),
            "page_name": "crm_service_ticket_new",
            "form": {},
        })
        values.update(extra)
        return values

    def _crm_service_catalogue_domain(self, company):
        """Saleable products a customer can have a request about: no down payment, deposit or expense."""
        return [("sale_ok", "=", True), ("company_id", "in", [False, company.id])] \
            + self._crm_service_not_sold_as_goods_domain(company)

    @staticmethod
    def _crm_service_not_sold_as_goods_domain(company):
        """Products that are money rather than goods or services: re-invoiced expenses (sale's
        ``expense_policy``, which expense products use), down payments and deposits (products put
        on down-payment lines, Point of Sale's down payment product) and the global discount."""
        # a form's request asks for it up to four times (listing, checking, listing again after an
        # error): the grouped read over every order line is done once per request
        key = ("crm_service_not_sold_as_goods", company.id)
        cache = request.env.cr.cache
        if key not in cache:
            # sudo: which products served as down payments is catalogue metadata, not order data
            down_payments = request.env["sale.order.line"].sudo()._read_group(
                [("is_downpayment", "=", True), ("product_id", "!=", False)], ["product_id"])
            excluded = {product.id for (product,) in down_payments}
            excluded.update(company.sudo().sale_discount_product_id.ids)
            pos_down_payment = request.env.ref("pos_sale.default_downpayment_product", raise_if_not_found=False)
            if pos_down_payment:
                excluded.add(pos_down_payment.id)
            cache[key] = sorted(excluded)
        return [("expense_policy", "in", [False, "no"]), ("id", "not in", cache[key])]

    def _crm_service_customer_orders(self, company):
        """Confirmed orders of the customer's company the portal user may read, newest first."""
        Order = request.env["sale.order"]
        if not Order.has_access("read"):
            return Order
        partner = request.env.user.partner_id.commercial_partner_id
        return Order.search([
            ("partner_id", "child_of", partner.id), ("state", "=", "sale"), ("company_id", "=", company.id),
        ], order="date_order desc, id desc", limit=PRODUCTS_ON_FORMS)

    def _crm_service_ordered_products(self, company):
        """Products the customer's company bought: confirmed order lines and posted invoice lines."""
        customer = request.env.user.partner_id.commercial_partner_id
        # sudo: lines of the logged-in customer's own company only (domains below), read for
        # their products; portal users have no access to order and invoice lines as such
        order_lines = request.env["sale.order.line"].sudo()._read_group([
            ("order_id.partner_id", "child_of", customer.id), ("state", "=", "sale"),
            ("company_id", "=", company.id), ("display_type", "=", False), ("is_downpayment", "=", False),
            ("product_id", "!=", False),
        ], ["product_id"])
        invoice_lines = request.env["account.move.line"].sudo()._read_group([
            ("move_id.commercial_partner_id", "=", customer.id), ("move_id.move_type", "=", "out_invoice"),
            ("parent_state", "=", "posted"), ("company_id", "=", company.id), ("display_type", "=", "product"),
            ("product_id", "!=", False),
        ], ["product_id"])
        product_ids = {product.id for (product,) in order_lines + invoice_lines}
        return request.env["product.product"].sudo().search(
            [("id", "in", sorted(product_ids)), ("company_id", "in", [False, company.id])]
            + self._crm_service_not_sold_as_goods_domain(company), order="name")

    # ------------------------------------------------------------ form input

    @staticmethod
    def _crm_service_text(value, label, max_length, required=False):
        """Stripped text of a form field; refused (ValidationError) when missing or too long."""
        text = value.strip() if isinstance(value, str) else ""
        if required and not text:
            raise ValidationError(request.env._("Please fill in the field %(field)s.", field=label))
        if "\x00" in text:  # PostgreSQL stores no NUL character
            raise ValidationError(request.env._("The field %(field)s contains an invalid character.", field=label))
        if len(text) > max_length:
            raise ValidationError(request.env._(
                "The field %(field)s is too long: at most %(max)s characters, please.",
                field=label, max=max_length))
        return text

    @staticmethod
    def _crm_service_id(value, label):
        """A record id chosen in a form: 0 when left empty, refused when not a plausible id."""
        if value in (None, ""):
            return 0
        text = value.strip() if isinstance(value, str) else ""
        if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= MAX_ID:
            raise ValidationError(request.env._("Please choose %(field)s from the list.", field=label))
        return int(text)

    @staticmethod
    def _crm_service_number(value, label, maximum, default=None):
        """A finite number ``0 < x <= maximum`` typed in a form (``nan``, ``inf``, ``1e300`` are refused)."""
        if value in (None, "") and default is not None:
            return default
        try:
            number = float(value.strip().replace(",", ".")) if isinstance(value, str) else float("nan")
        except ValueError:
            number = float("nan")
        if not math.isfinite(number) or not 0 < number <= maximum:
            raise ValidationError(request.env._(
                "%(field)s must be a number greater than 0 and at most %(max)s.", field=label, max=f"{maximum:,.0f}"))
        return number

    def _crm_service_product(self, product_id, company, with_catalogue=False):
        """The product chosen on a form: one the form offered (see ``_crm_service_form_values``)."""
        product_id = self._crm_service_id(product_id, request.env._("a product"))
        Product = request.env["product.product"]
        if not product_id:
            return Product
        ordered = self._crm_service_ordered_products(company)
        if product_id in ordered.ids:
            return ordered.filtered(lambda p: p.id == product_id)
        product = Product
        if with_catalogue or not ordered:
            # sudo: catalogue data only, limited to one saleable product of the company by id
            product = Product.sudo().search(self._crm_service_catalogue_domain(company) + [("id", "=", product_id)])
        if not product:
            raise ValidationError(request.env._("Please choose a product from the list."))
        return product

    def _crm_service_order(self, order_id, company):
        """The order chosen on the ticket form: a confirmed order of the customer's company."""
        order_id = self._crm_service_id(order_id, request.env._("an order"))
        if not order_id:
            return request.env["sale.order"]
        order = self._crm_service_customer_orders(company).filtered(lambda o: o.id == order_id)
        if not order:
            raise ValidationError(request.env._("Please choose one of your orders from the list."))
        return order

    def _crm_service_category(self, category_id):
        category_id = self._crm_service_id(category_id, request.env._("a category"))
        if not category_id:
            return request.env["crm.service.category"]
        # the portal user's own environment: record rules limit categories to their company
        category = request.env["crm.service.category"].search([("id", "=", category_id)])
        if not category:
            raise ValidationError(request.env._("Please choose a category from the list."))
        return category

    # ------------------------------------------------------------ tickets

    @http.route(["/my/service-requests", "/my/service-requests/page/<int:page>"],
                type="http", auth="user", website=True)
    def portal_my_crm_service_tickets(self, page=1, **kw):
        Ticket = request.env["crm.service.ticket"]
        domain = self._crm_service_ticket_domain()
        count = Ticket.search_count(domain)
        pager = portal_pager(url="/my/service-requests", total=count, page=page, step=TICKETS_PER_PAGE)
        tickets = Ticket.search(domain, order="id desc", limit=TICKETS_PER_PAGE, offset=pager["offset"])
        request.session["my_crm_service_tickets_history"] = tickets.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update({"tickets": tickets, "pager": pager, "page_name": "crm_service_tickets",
                       "default_url": "/my/service-requests"})
        return request.render("crm_service.portal_my_tickets", values)

    @http.route("/my/service-requests/<int:ticket_id>", type="http", auth="public", website=True)
    def portal_my_crm_service_ticket(self, ticket_id, access_token=None, **kw):
        ticket_sudo = self._crm_service_ticket_or_404(ticket_id, access_token)
        return self._crm_service_ticket_page(ticket_sudo, access_token, message=kw.get("message"))

    def _crm_service_ticket_page(self, ticket_sudo, access_token, error=None, status=200, **extra):
        values = self._prepare_portal_layout_values()
        # links carry access tokens: only to the ticket's own customer's documents, and only for a
        # person of that customer (a ticket's share link alone does not open its order and invoice)
        # only a person of the ticket's customer replies and rates (_crm_service_own_ticket_or_404):
        # the forms, like the links to the order and invoice, are shown to them alone
        is_ticket_customer = self._crm_service_is_ticket_customer(ticket_sudo)
        linked_order, linked_invoice = ticket_sudo._portal_linked_documents()
        if not is_ticket_customer:
            linked_order, linked_invoice = linked_order.browse(), linked_invoice.browse()
        values.update({"ticket": ticket_sudo, "page_name": "crm_service_ticket", "error": error,
                       "linked_order": linked_order, "linked_invoice": linked_invoice,
                       "is_ticket_customer": is_ticket_customer})
        values.update(extra)
        values = self._get_page_view_values(
            ticket_sudo, access_token, values, "my_crm_service_tickets_history", False)
        return request.render("crm_service.portal_my_ticket", values, status=status)

    @http.route("/my/service-requests/new", type="http", auth="user", website=True, methods=["GET"], readonly=True)
    def portal_crm_service_ticket_form(self, **kw):
        return request.render("crm_service.portal_ticket_new", self._crm_service_form_values())

    @http.route("/my/service-requests/new", type="http", auth="user", website=True, methods=["POST"])
    def portal_crm_service_ticket_submit(self, subject=None, description=None, category_id=None,
                                         product_id=None, sale_order_id=None, serial_number=None, **kw):
        form = {"subject": subject, "description": description, "category_id": category_id,
                "product_id": product_id, "sale_order_id": sale_order_id, "serial_number": serial_number}
        team = self._crm_service_default_team()
        company = team.company_id or request.env.company
        try:
            values = {
                "name": self._crm_service_text(subject, request.env._("Subject"), MAX_SUBJECT, required=True),
                "description": plaintext2html(
                    self._crm_service_text(description, request.env._("Description"), MAX_TEXT)),
                "category_id": self._crm_service_category(category_id).id,
                "product_id": self._crm_service_product(product_id, company).id,
                "sale_order_id": self._crm_service_order(sale_order_id, company).id,
                "serial_number": self._crm_service_text(
                    serial_number, request.env._("Serial number"), MAX_SERIAL_NUMBER) or False,
            }
        except ValidationError as error:
            return request.render("crm_service.portal_ticket_new", self._crm_service_form_values(
                error=error.args[0], form={key: value for key, value in form.items() if isinstance(value, str)}),
                status=400)
        partner = request.env.user.partner_id
        # portal users cannot create tickets directly: the values are validated above and the
        # customer is forced to the logged-in user's own company (the user as its contact),
        # so sudo() cannot be abused
        ticket = request.env["crm.service.ticket"].sudo().create(dict(
            values, partner_id=partner.commercial_partner_id.id, contact_id=partner.id, channel="portal",
            team_id=team.id, company_id=company.id))
        ticket.message_subscribe(partner_ids=partner.ids)
        return request.redirect(f"/my/service-requests/{ticket.id}")

    @http.route("/my/service-requests/<int:ticket_id>/reply", type="http", auth="user", website=True, methods=["POST"])
    def portal_crm_service_ticket_reply(self, ticket_id, message=None, access_token=None, **kw):
        ticket_sudo = self._crm_service_own_ticket_or_404(ticket_id, access_token)
        try:
            message = self._crm_service_text(message, request.env._("Reply"), MAX_TEXT)
        except ValidationError as error:
            return self._crm_service_ticket_page(ticket_sudo, access_token, error=error.args[0], status=400)
        if message:
            # access checked above; posting as the customer's own partner
            ticket_sudo._portal_customer_reply(request.env.user.partner_id, plaintext2html(message))
        return request.redirect(f"/my/service-requests/{ticket_id}#discussion")

    @http.route("/my/service-requests/<int:ticket_id>/rate", type="http", auth="user", website=True, methods=["POST"])
    def portal_crm_service_ticket_rate(self, ticket_id, rating=None, feedback=None, access_token=None, **kw):
        ticket_sudo = self._crm_service_own_ticket_or_404(ticket_id, access_token)
        if not ticket_sudo.is_closed or rating not in ("1", "2", "3", "4", "5"):
            return request.redirect(f"/my/service-requests/{ticket_id}")
        try:
            feedback = self._crm_service_text(feedback, request.env._("Comment"), MAX_RATING_COMMENT)
        except ValidationError as error:
            return self._crm_service_ticket_page(ticket_sudo, access_token, error=error.args[0], status=400)
        partner = request.env.user.partner_id
        # Odoo's rating flow: a token per customer, then rating_apply (sudo after the access check)
        token = ticket_sudo._rating_get_access_token(partner)
        ticket_sudo.rating_apply(int(rating), token=token, feedback=feedback or False)
        return request.redirect(f"/my/service-requests/{ticket_id}?message=rated")

    # ------------------------------------------------------------ knowledge base

    @http.route("/my/service-articles", type="http", auth="user", website=True, readonly=True)
    def portal_crm_service_articles(self, search=None, **kw):
        domain = [("is_published", "=", True)]
        search = search.replace("\x00", "") if isinstance(search, str) else None  # no NUL in a query
        if search and len(search) > MAX_SEARCH:
            search = search[:MAX_SEARCH]  # a search box, not stored: a longer query is only shortened
        if search:
            domain += ["|", ("name", "ilike", search), ("keywords", "ilike", search)]
        values = self._prepare_portal_layout_values()
        values.update({
            "articles": request.env["crm.service.article"].search(domain, limit=100),
            "search": search, "page_name": "crm_service_articles",
        })
        return request.render("crm_service.portal_articles", values)

    @http.route("/my/service-articles/<int:article_id>", type="http", auth="user", website=True, readonly=True)
    def portal_crm_service_article(self, article_id, **kw):
        if not 0 < article_id <= MAX_ID:
            raise request.not_found()
        article = request.env["crm.service.article"].search(
            [("id", "=", article_id), ("is_published", "=", True)])
        if not article:
            raise request.not_found()
        values = self._prepare_portal_layout_values()
        values.update({"article": article, "page_name": "crm_service_article", "voted": kw.get("voted")})
        return request.render("crm_service.portal_article", values)

    @http.route("/my/service-articles/<int:article_id>/vote", type="http", auth="user", website=True, methods=["POST"])
    def portal_crm_service_article_vote(self, article_id, helpful=None, **kw):
        if not 0 < article_id <= MAX_ID:
            raise request.not_found()
        if helpful not in ("yes", "no"):
            return request.redirect(f"/my/service-articles/{article_id}")
        article = request.env["crm.service.article"].search(
            [("id", "=", article_id), ("is_published", "=", True)])
        if not article:
            raise request.not_found()
        # the portal user may read the published article (checked by the search above);
        # the counter itself is a write they have no right for
        article.sudo()._vote(helpful == "yes")
        return request.redirect(f"/my/service-articles/{article_id}?voted=1")

    # ------------------------------------------------------------ collaborative CRM

    @http.route("/my/reverse-pricing", type="http", auth="user", website=True, methods=["GET"], readonly=True)
    def portal_crm_service_reverse_pricing_form(self, **kw):
        values = self._crm_service_form_values(with_catalogue=True, page_name="crm_service_reverse_pricing")
        return request.render("crm_service.portal_reverse_pricing", values)

    @http.route("/my/reverse-pricing", type="http", auth="user", website=True, methods=["POST"])
    def portal_crm_service_reverse_pricing_submit(self, product_id=None, target_price=None, quantity=None,
                                                  requirements=None, **kw):
        form = {"product_id": product_id, "target_price": target_price, "quantity": quantity,
                "requirements": requirements}
        try:
            product = self._crm_service_product(product_id, self._crm_service_company(), with_catalogue=True)
            if not product:
                raise ValidationError(request.env._("Please choose a product from the list."))
            price = self._crm_service_number(target_price, request.env._("Target unit price"), MAX_TARGET_PRICE)
            qty = self._crm_service_number(quantity, request.env._("Quantity"), MAX_QUANTITY, default=1.0)
            requirements = self._crm_service_text(requirements, request.env._("Requirements"), MAX_TEXT)
        except ValidationError as error:
            values = self._crm_service_form_values(
                with_catalogue=True, page_name="crm_service_reverse_pricing", error=error.args[0],
                form={key: value for key, value in form.items() if isinstance(value, str)})
            return request.render("crm_service.portal_reverse_pricing", values, status=400)
        # sudo: portal users cannot create deals; the lead is built only from the
        # logged-in customer's own partner and the validated form values above
        request.env["crm.lead"].sudo()._crm_service_create_reverse_pricing(
            request.env.user.partner_id, product, price, qty, requirements)
        return request.redirect("/my/reverse-pricing/thanks")

    @http.route("/my/reverse-pricing/thanks", type="http", auth="user", website=True, readonly=True)
    def portal_crm_service_reverse_pricing_thanks(self, **kw):
        values = self._prepare_portal_layout_values()
        values["page_name"] = "crm_service_reverse_pricing"
        return request.render("crm_service.portal_reverse_pricing_thanks", values)

    @http.route("/my/service-feedback", type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_crm_service_feedback(self, product_id=None, feedback=None, **kw):
        if request.httprequest.method == "POST":
            team = self._crm_service_default_team()
            company = team.company_id or request.env.company
            try:
                product = self._crm_service_product(product_id, company)
                feedback = self._crm_service_text(
                    feedback, request.env._("Your feedback"), MAX_TEXT, required=True)
            except ValidationError as error:
                values = self._crm_service_form_values(
                    page_name="crm_service_feedback", error=error.args[0],
                    form={"product_id": product_id if isinstance(product_id, str) else "",
                          "feedback": feedback if isinstance(feedback, str) else ""})
                return request.render("crm_service.portal_feedback", values, status=400)
            # validated values, customer forced to the logged-in user (see ticket submission)
            request.env["crm.service.ticket"].sudo().create({
                "name": request.env._("Product feedback: %(product)s",
                                      product=product.display_name or request.env._("general")),
                "description": plaintext2html(feedback),
                "partner_id": request.env.user.partner_id.commercial_partner_id.id,
                "contact_id": request.env.user.partner_id.id,
                "channel": "web",
                "priority": "0",
                "product_id": product.id,
                "team_id": team.id,
                "company_id": company.id,
            })
            return request.redirect("/my/service-requests")
        values = self._crm_service_form_values(page_name="crm_service_feedback")
        return request.render("crm_service.portal_feedback", values)
