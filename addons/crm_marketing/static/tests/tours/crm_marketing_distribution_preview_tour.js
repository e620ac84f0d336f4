import { registry } from "@web/core/registry";
import { displayedText, expected, screenChecks } from "@crm_core/../tests/tours/crm_tour_utils";

/**
 * The lead distribution wizard's preview: per salesperson, the number of leads
 * the test computed from the rule (weights of its team members); nothing is
 * written. Data and checks: tests/test_tours.py. No text of ours in triggers.
 */
registry.category("web_tour.tours").add("crm_marketing_distribution_preview_tour", {
    steps: () => [
        {
            content: "open the distribution wizard of the rule",
            trigger: ".o_form_view .o_form_statusbar button[name='action_open_wizard']",
            run: "click",
        },
        {
            content: "the wizard counts the leads the rule will distribute",
            trigger: ".modal .o_field_widget[name='lead_count'] span:not(:empty)",
            run() {
                const shown = displayedText(this.anchor);
                if (shown !== expected("lead_count")) {
                    throw new Error(`leads to distribute: shown "${shown}", expected "${expected("lead_count")}"`);
                }
            },
        },
        {
            content: "preview",
            trigger: ".modal footer button[name='action_preview']",
            run: "click",
        },
        {
            content: "the preview shows the leads per salesperson computed from the rule",
            trigger: ".modal .o_field_widget[name='preview_line_ids'] .o_data_row",
            run() {
                const rows = document.querySelectorAll(".modal .o_field_widget[name='preview_line_ids'] .o_data_row");
                const shown = {};
                for (const row of rows) {
                    const user = displayedText(row.querySelector("td[name='user_id']"));
                    shown[user] = displayedText(row.querySelector("td[name='lead_count']"));
                }
                const wanted = expected("per_salesperson");
                const mismatch = JSON.stringify(shown, Object.keys(shown).sort()) !==
                    JSON.stringify(wanted, Object.keys(wanted).sort());
                if (mismatch || Object.keys(shown).length !== Object.keys(wanted).length) {
                    throw new Error(`preview per salesperson: shown ${JSON.stringify(shown)}, expected ${JSON.stringify(wanted)}`);
                }
            },
        },
        {
            content: "the total of the preview is every lead",
            trigger: ".modal .o_field_widget[name='preview_line_ids'] tfoot td.o_list_number:not(:empty)",
            run() {
                const shown = displayedText(this.anchor);
                if (shown !== expected("assigned")) {
                    throw new Error(`preview total: shown "${shown}", expected "${expected("assigned")}"`);
                }
            },
        },
        {
            content: "no lead is left unassigned",
            trigger: ".modal .o_field_widget[name='preview_unassigned_count'] span",
            run() {
                const shown = displayedText(this.anchor);
                if (shown !== expected("unassigned")) {
                    throw new Error(`left unassigned: shown "${shown}", expected "${expected("unassigned")}"`);
                }
            },
        },
        ...screenChecks("distribution_preview"),
        {
            content: "close the wizard without distributing",
            trigger: ".modal .modal-header .btn-close",
            run: "click",
        },
        {
            content: "the wizard is closed",
            trigger: "body:not(:has(.modal))",
        },
    ],
});
