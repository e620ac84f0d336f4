import { registry } from "@web/core/registry";
import { displayedText, expected, screenChecks } from "@crm_core/../tests/tours/crm_tour_utils";

function checkText(selector, key) {
    const element = document.querySelector(selector);
    const shown = displayedText(element);
    if (shown !== expected(key)) {
        throw new Error(`${selector}: shows "${shown}", the test expects "${expected(key)}" (${key})`);
    }
}

/**
 * The CRM tab of a customer organisation: contact persons with their roles, key
 * figures, the latest timeline entries (shown at once, no filter to apply), a
 * smart button that opens the open deals and comes back, and the full timeline.
 * Every value is computed by the test: tests/test_tours.py
 * (TestCrmCoreTours.test_partner_crm_tab_tour).
 */
registry.category("web_tour.tours").add("crm_core_partner_crm_tab_tour", {
    steps: () => [
        {
            content: "the organisation is open",
            trigger: `.o_form_view .o_field_widget[name='vat'] input:value(${expected("vat")})`,
        },
        {
            content: "its contact persons show their roles",
            trigger: ".o_field_widget[name='child_ids'] .o_kanban_record .o_tag",
            run() {
                const tags = [...document.querySelectorAll(".o_field_widget[name='child_ids'] .o_tag")];
                const shown = tags.map(displayedText).sort();
                if (JSON.stringify(shown) !== JSON.stringify(expected("roles"))) {
                    throw new Error(`roles shown ${JSON.stringify(shown)}, expected ${JSON.stringify(expected("roles"))}`);
                }
            },
        },
        {
            content: "open the CRM tab",
            trigger: ".o_notebook_headers a[name='crm_360']",
            run: "click",
        },
        {
            content: "the open deals: the number above its label",
            trigger: "button[name='action_crm_view_open_deals'] .o_stat_value .o_field_widget[name='crm_open_deal_count']",
            run() {
                checkText("button[name='action_crm_view_open_deals'] .o_stat_value", "open_deal_count");
                checkText("button[name='action_crm_view_open_deals'] .o_field_widget[name='crm_open_deal_weighted']",
                    "open_deal_weighted");
                checkText("button[name='action_crm_view_unpaid_invoices'] .o_stat_value", "unpaid_invoice_count");
                checkText(".o_field_widget[name='crm_won_revenue_year']", "won_revenue_year");
            },
        },
        {
            content: "the timeline is on the tab, loaded with its default filter",
            trigger: ".o_crm_partner_timeline .o_crm_timeline_entry",
            run() {
                const rows = [...document.querySelectorAll(".o_crm_partner_timeline .o_crm_timeline_entry")];
                const shown = rows.map((row) => [
                    displayedText(row.querySelector(".o_crm_timeline_type")),
                    displayedText(row.querySelector(".o_crm_timeline_name a")),
                ]);
                const wanted = expected("timeline_entries");
                if (JSON.stringify(shown) !== JSON.stringify(wanted)) {
                    throw new Error(`timeline shows ${JSON.stringify(shown)}, expected ${JSON.stringify(wanted)}`);
                }
            },
        },
        ...screenChecks("partner_crm_tab", { allow: expected("allow"), scrollTo: ".o_notebook" }),
        {
            content: "open the open deals",
            trigger: "button[name='action_crm_view_open_deals']",
            run: "click",
        },
        {
            content: "the customer's open deals are listed",
            trigger: ".o_view_controller:not(.o_form_view) .o_data_row, .o_view_controller:not(.o_form_view) .o_kanban_record:not(.o_kanban_ghost)",
            run() {
                // kanban cards render the name as plain text: each card must carry one expected name
                const records = [...document.querySelectorAll(
                    ".o_view_controller .o_data_row, .o_view_controller .o_kanban_record:not(.o_kanban_ghost)"
                )].map(displayedText);
                const wanted = expected("open_deal_names");
                const shown = wanted.filter((name) => records.some((text) => text.includes(name)));
                if (records.length !== wanted.length || shown.length !== wanted.length) {
                    throw new Error(`open deals ${JSON.stringify(records)}, expected ${JSON.stringify(wanted)}`);
                }
            },
        },
        {
            content: "back to the customer",
            trigger: ".o_breadcrumb .breadcrumb-item:last-child a",
            run: "click",
        },
        {
            content: "the customer form is back",
            trigger: `.o_form_view .o_field_widget[name='vat'] input:value(${expected("vat")})`,
        },
        {
            content: "open the whole timeline from the tab",
            trigger: ".o_crm_partner_timeline .o_crm_timeline_open",
            run: "click",
        },
        {
            content: "the full timeline (client action) has the customer's name and the same newest entries",
            trigger: ".o_crm_timeline_action .o_crm_timeline_entry",
            run() {
                checkText(".o_breadcrumb .active", "timeline_title");
                const names = [...document.querySelectorAll(".o_crm_timeline_action .o_crm_timeline_name a")]
                    .map(displayedText);
                const wanted = expected("timeline_entries").map(([, name]) => name);
                if (JSON.stringify(names.slice(0, wanted.length)) !== JSON.stringify(wanted)) {
                    throw new Error(`timeline window shows ${JSON.stringify(names)}, expected ${JSON.stringify(wanted)}`);
                }
            },
        },
        {
            content: "filter the timeline on one type: only deals",
            trigger: ".o_crm_timeline_action select.o_crm_timeline_type_filter",
            run: "select deal",
        },
        {
            content: "only the deals are listed",
            trigger: ".o_crm_timeline_action .o_crm_timeline_entry[data-entry-type='deal']",
            run() {
                const types = [...document.querySelectorAll(".o_crm_timeline_action .o_crm_timeline_entry")]
                    .map((row) => row.dataset.entryType);
                if (!types.length || types.some((type) => type !== "deal")) {
                    throw new Error(`filtered timeline shows the types ${JSON.stringify(types)}, expected only deals`);
                }
            },
        },
        ...screenChecks("partner_timeline", { allow: expected("allow") }),
    ],
});
