import { registry } from "@web/core/registry";
import { screenshotSteps } from "@crm_core/../tests/tours/crm_tour_utils";

/**
 * The CRM tab of a customer organisation: key figures, contact persons with
 * their roles, and a smart button that opens the open deals and comes back.
 * The test opens the record (no url here: the tour starts where the test opens it).
 * Data: tests/test_tours.py (TestCrmCoreTours.test_partner_crm_tab_tour).
 */
registry.category("web_tour.tours").add("crm_core_partner_crm_tab_tour", {
    steps: () => [
        {
            content: "the organisation is open",
            trigger: ".o_form_view .o_field_widget[name='vat'] input:value(7707083893)",
        },
        {
            content: "its contact persons show their roles",
            trigger: ".o_field_widget[name='child_ids'] .o_kanban_record:contains('Тур Закупкин') .o_tag:contains('Purchaser')",
        },
        {
            content: "the accountant too",
            trigger: ".o_field_widget[name='child_ids'] .o_kanban_record:contains('Тур Счетова') .o_tag:contains('Accountant')",
        },
        ...screenshotSteps("partner_contacts_roles"),
        {
            content: "open the CRM tab",
            trigger: ".o_notebook_headers a[name='crm_360']",
            run: "click",
        },
        {
            content: "two open deals",
            trigger: "button[name='action_crm_view_open_deals'] .o_field_widget[name='crm_open_deal_count']:contains(2)",
        },
        {
            content: "won this year",
            trigger: ".o_field_widget[name='crm_won_revenue_year']:contains(150)",
        },
        ...screenshotSteps("partner_crm_tab", ".o_notebook"),
        {
            content: "open the open deals",
            trigger: "button[name='action_crm_view_open_deals']",
            run: "click",
        },
        {
            content: "the customer's open deals are listed",
            trigger: ".o_view_controller:not(.o_form_view) :contains('Тур: кресла для переговорных')",
        },
        {
            content: "the other open deal too",
            trigger: ".o_view_controller:not(.o_form_view) :contains('Тур: столы для склада')",
        },
        {
            content: "back to the customer",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Тур-Ромашка')",
            run: "click",
        },
        {
            content: "the customer form is back",
            trigger: ".o_form_view .o_field_widget[name='vat'] input:value(7707083893)",
        },
    ],
});
