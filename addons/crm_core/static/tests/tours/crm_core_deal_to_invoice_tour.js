import { registry } from "@web/core/registry";
import { screenshotSteps } from "@crm_core/../tests/tours/crm_tour_utils";

/**
 * Deal → quotation → invoice: the deal's products become a quotation in one
 * click, confirming it wins the deal, the deal's Create Invoice button invoices it.
 * Data and checks: tests/test_tours.py (TestCrmCoreTours.test_deal_to_invoice_tour).
 */
registry.category("web_tour.tours").add("crm_core_deal_to_invoice_tour", {
    steps: () => [
        {
            content: "open the deal's products",
            trigger: ".o_form_view .o_notebook_headers a[name='crm_products']",
            run: "click",
        },
        {
            content: "the deal carries its product lines",
            trigger: ".o_field_widget[name='lead_line_ids'] .o_data_row:contains('Тур: кресло для переговорной')",
        },
        {
            content: "the lines total",
            trigger: ".o_field_widget[name='lead_line_amount']:contains(60)",
        },
        ...screenshotSteps("deal_products", ".o_notebook"),
        {
            content: "quote the products in one click",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_create_quotation']",
            run: "click",
        },
        {
            content: "the quotation carries the deal's lines",
            trigger: ".o_form_view .o_field_widget[name='order_line'] .o_data_row:contains('Тур: кресло для переговорной')",
        },
        {
            content: "confirm the quotation",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_confirm']",
            run: "click",
        },
        {
            content: "it is a sales order now",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Sales Order')",
        },
        ...screenshotSteps("quotation_confirmed"),
        {
            content: "back to the deal",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Тур: переговорные')",
            run: "click",
        },
        {
            content: "the deal is won",
            trigger: ".o_form_view .ribbon:contains('Won')",
        },
        {
            content: "invoice the deal",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_create_deal_invoice']",
            run: "click",
        },
        {
            content: "create the invoice",
            trigger: ".modal button[name='create_invoices']",
            run: "click",
        },
        {
            content: "the draft invoice carries the order lines",
            trigger: ".o_form_view .o_field_widget[name='invoice_line_ids'] .o_data_row:contains('Тур: кресло для переговорной')",
        },
        {
            content: "confirm the invoice",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_post']",
            run: "click",
        },
        {
            content: "the invoice is posted",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Posted')",
        },
        ...screenshotSteps("deal_invoice"),
    ],
});
