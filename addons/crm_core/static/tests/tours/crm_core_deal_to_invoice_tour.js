import { registry } from "@web/core/registry";
import { displayedText, expected, screenChecks } from "@crm_core/../tests/tours/crm_tour_utils";

function checkText(selector, key, { contains = false } = {}) {
    const element = document.querySelector(selector);
    const shown = displayedText(element);
    if (contains ? !shown.includes(expected(key)) : shown !== expected(key)) {
        throw new Error(`${selector}: page shows "${shown}", test expects "${expected(key)}" (${key})`);
    }
}

/**
 * Deal → quotation → invoice: Odoo's "New Quotation" turns the deal's products
 * into a quotation (our second button is gone), confirming it wins the deal,
 * the deal's Create Invoice button invoices it. Amounts with their currency are
 * computed by the test: tests/test_tours.py (TestCrmCoreTours.test_deal_to_invoice_tour).
 */
registry.category("web_tour.tours").add("crm_core_deal_to_invoice_tour", {
    steps: () => [
        {
            content: "open the deal's products",
            trigger: ".o_form_view .o_notebook_headers a[name='crm_products']",
            run: "click",
        },
        {
            content: "the deal's lines and total, with the deal's currency",
            trigger: ".o_field_widget[name='crm_deal_line_ids'] .o_data_row td[name='price_subtotal']",
            run() {
                checkText(".o_field_widget[name='crm_deal_line_ids'] .o_data_row td[name='product_id']", "product");
                checkText(".o_field_widget[name='crm_deal_line_ids'] .o_data_row td[name='price_subtotal']", "line_subtotal");
                checkText(".o_field_widget[name='crm_deal_line_amount']", "lines_total");
            },
        },
        {
            content: "one quotation button: Odoo's",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_sale_quotations_new']",
            run() {
                const buttons = document.querySelectorAll(
                    ".o_form_view .o_statusbar_buttons button[name='action_sale_quotations_new'], .o_form_view button[name='action_create_quotation']"
                );
                if (buttons.length !== 1) {
                    throw new Error(`quotation buttons: page shows ${buttons.length}, test expects 1`);
                }
            },
        },
        ...screenChecks("deal_products", { allow: expected("allow"), scrollTo: ".o_notebook" }),
        {
            content: "quote the products",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_sale_quotations_new']",
            run: "click",
        },
        {
            content: "the quotation carries the deal's lines and amounts",
            trigger: ".o_form_view .o_field_widget[name='order_line'] .o_data_row",
            run() {
                checkText(".o_field_widget[name='order_line'] .o_data_row td[name='product_template_id']", "product");
                checkText(".o_field_widget[name='order_line'] .o_data_row td[name='price_subtotal']", "line_subtotal");
                checkText(".o_form_view .o_field_widget[name='tax_totals']", "order_total", { contains: true });
            },
        },
        {
            content: "confirm the quotation",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_confirm']",
            run: "click",
        },
        {
            content: "it is a sales order now",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='sale']",
        },
        ...screenChecks("quotation_confirmed", { allow: expected("allow") }),
        {
            content: "back to the deal",
            trigger: ".o_breadcrumb .breadcrumb-item:last-child a",
            run: "click",
        },
        {
            content: "the deal is won",
            trigger: ".o_form_view .o_widget_web_ribbon .ribbon",
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
            content: "the draft invoice carries the order's amounts",
            trigger: ".o_form_view .o_field_widget[name='invoice_line_ids'] .o_data_row",
            run() {
                checkText(".o_field_widget[name='invoice_line_ids'] .o_data_row td[name='price_subtotal']", "line_subtotal");
                checkText(".o_form_view .o_field_widget[name='tax_totals']", "order_total", { contains: true });
            },
        },
        {
            content: "confirm the invoice",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_post']",
            run: "click",
        },
        {
            content: "the invoice is posted",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='posted']",
        },
        ...screenChecks("deal_invoice", { allow: expected("allow") }),
    ],
});
