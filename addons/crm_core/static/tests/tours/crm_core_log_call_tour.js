import { registry } from "@web/core/registry";
import {
    displayedText,
    expected,
    revealSmartButtonStep,
    screenChecks,
} from "@crm_core/../tests/tours/crm_tour_utils";

/**
 * Log a call: from the customer, pick the quick status and log; the status's
 * activity type chains the next step (Odoo's activity chaining); the call shows
 * at once in the timeline of the CRM tab. Data and checks: tests/test_tours.py (TestCrmCoreTours.test_log_call_tour).
 */
registry.category("web_tour.tours").add("crm_core_log_call_tour", {
    steps: () => [
        revealSmartButtonStep("action_crm_log_interaction"),
        {
            content: "log an interaction",
            trigger: ".o-form-buttonbox button[name='action_crm_log_interaction']",
            run: "click",
        },
        {
            content: "a call by default",
            trigger: ".modal .o_field_widget[name='interaction_type'] input[data-value='call']:checked",
        },
        {
            content: "what came out of it",
            trigger: ".modal .o_field_widget[name='result'] textarea",
            run: `edit ${expected("result")}`,
        },
        ...screenChecks("log_call_dialog", { allow: expected("allow") }),
        {
            content: "the quick status: one of the call's outcomes",
            trigger: `.modal .o_field_widget[name='status_id'] .o_radio_item:contains(${expected("status")}) input`,
            run: "click",
        },
        {
            content: "the dialog names the next step the status's activity type triggers",
            trigger: `.modal .o_field_widget[name='status_next_type_id']:contains(${expected("next_activity")})`,
        },
        {
            content: "log it",
            trigger: ".modal footer button[name='action_log']",
            run: "click",
        },
        {
            content: "the dialog is closed and the call back planned",
            trigger: "body:not(:has(.modal)) .o-mail-Activity",
            run() {
                const shown = displayedText(document.querySelector(".o-mail-Activity"));
                if (!shown.includes(expected("next_activity"))) {
                    throw new Error(`planned activity: page shows "${shown}", test expects "${expected("next_activity")}"`);
                }
            },
        },
        revealSmartButtonStep("action_crm_view_interactions"),
        {
            content: "one interaction is counted",
            trigger: ".o-form-buttonbox button[name='action_crm_view_interactions'] .o_stat_value",
            run() {
                const shown = displayedText(
                    document.querySelector(".o-form-buttonbox button[name='action_crm_view_interactions'] .o_stat_value")
                );
                if (shown !== expected("crm_interaction_count")) {
                    throw new Error(`interactions: page shows "${shown}", test expects "${expected("crm_interaction_count")}"`);
                }
            },
        },
        {
            content: "open the CRM tab",
            trigger: ".o_notebook_headers a[name='crm_360']",
            run: "click",
        },
        {
            content: "the call is at the top of the timeline, without applying a filter",
            trigger: ".o_crm_partner_timeline .o_crm_timeline_entry[data-res-model='crm.interaction']",
            run() {
                const first = document.querySelector(".o_crm_partner_timeline .o_crm_timeline_entry");
                const description = displayedText(first.querySelector(".o_crm_timeline_description"));
                if (first.dataset.resModel !== "crm.interaction" || !description.includes(expected("result"))) {
                    throw new Error(`first timeline entry: page shows "${displayedText(first)}", test expects the call "${expected("result")}"`);
                }
            },
        },
        ...screenChecks("partner_timeline_call", { allow: expected("allow"), scrollTo: ".o_notebook" }),
    ],
});
