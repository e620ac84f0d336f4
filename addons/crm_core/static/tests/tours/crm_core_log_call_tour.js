import { registry } from "@web/core/registry";
import { revealSmartButtonStep, screenshotSteps } from "@crm_core/../tests/tours/crm_tour_utils";

/**
 * Log a call with one click: from the customer, the quick-status button logs
 * the call and plans the next step; the call shows in the timeline.
 * Data and checks: tests/test_tours.py (TestCrmCoreTours.test_log_call_tour).
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
            run: "edit Просит перезвонить завтра после 10:00",
        },
        ...screenshotSteps("log_call_dialog"),
        {
            content: "one click: log with the quick status and plan the call back",
            trigger: ".modal footer button:contains('Тур: перезвонить')",
            run: "click",
        },
        {
            content: "the dialog is closed and the call back planned",
            trigger: "body:not(:has(.modal)) .o-mail-Activity:contains('Тур: перезвонить')",
        },
        revealSmartButtonStep("action_crm_view_interactions"),
        {
            content: "one interaction is counted",
            trigger: ".o-form-buttonbox button[name='action_crm_view_interactions']:contains(1)",
        },
        revealSmartButtonStep("action_crm_open_timeline"),
        {
            content: "open the timeline",
            trigger: ".o-form-buttonbox button[name='action_crm_open_timeline']",
            run: "click",
        },
        {
            content: "the call is in the history",
            trigger: ".o_field_widget[name='entry_ids'] .o_data_row:contains('Просит перезвонить завтра')",
        },
        ...screenshotSteps("partner_timeline"),
        {
            content: "back to the customer",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Тур-Ромашка')",
            run: "click",
        },
        {
            content: "the customer form is back",
            trigger: ".o_form_view .o_notebook_headers a[name='crm_360']",
        },
    ],
});
