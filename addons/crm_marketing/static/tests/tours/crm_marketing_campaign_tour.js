import { registry } from "@web/core/registry";
import { displayedText, expected, revealSmartButtonStep, screenChecks } from "@crm_core/../tests/tours/crm_tour_utils";

/**
 * A campaign as a marketer sees it: one status (ours), one revenue figure, and
 * budget, costs, revenue and ROI equal to what the test computed from its data
 * (tests/test_tours.py). Triggers use names and classes only: the same tour runs
 * in Russian and in English.
 */
function shows(selector, key) {
    return {
        content: `${selector} shows the expected ${key}`,
        trigger: `${selector}:not(:empty)`,
        run() {
            const shown = displayedText(this.anchor);
            if (shown !== expected(key)) {
                throw new Error(`${key}: shown "${shown}", expected "${expected(key)}"`);
            }
        },
    };
}

registry.category("web_tour.tours").add("crm_marketing_campaign_tour", {
    steps: () => [
        {
            content: "the header shows our status, the running one, and no utm stage",
            trigger: ".o_form_statusbar:not(:has(.o_field_widget[name='stage_id'])) .o_field_widget[name='plan_state'] button.o_arrow_button_current[data-value='running']",
        },
        {
            content: "no second revenue figure (sale's invoiced balance)",
            trigger: ".o-form-buttonbox:not(:has(button[name='action_redirect_to_invoiced']))",
        },
        revealSmartButtonStep("action_view_campaign_orders"),
        shows(".o-form-buttonbox button[name='action_view_campaign_orders'] .o_field_widget[name='result_revenue'] span", "revenue"),
        revealSmartButtonStep("action_view_campaign_costs"),
        shows(".o-form-buttonbox button[name='action_view_campaign_costs'] .o_field_widget[name='cost_actual'] span", "cost"),
        {
            content: "open the budget",
            trigger: ".o_notebook_headers a[name='crm_marketing_budget']",
            run: "click",
        },
        shows(".tab-pane.active .o_field_widget[name='budget_planned'] span", "budget"),
        shows(".tab-pane.active .o_field_widget[name='cost_actual'] span", "cost"),
        ...screenChecks("campaign_budget", { scrollTo: ".o_notebook" }),
        {
            content: "open the results",
            trigger: ".o_notebook_headers a[name='crm_marketing_results']",
            run: "click",
        },
        shows(".o_crm_marketing_results .o_field_widget[name='result_revenue'] span", "revenue"),
        shows(".o_crm_marketing_results .o_field_widget[name='cost_actual'] span", "cost"),
        shows(".o_crm_marketing_results .o_field_widget[name='budget_planned'] span", "budget"),
        shows(".o_crm_marketing_results .o_field_widget[name='roi'] span", "roi"),
        shows(".o_crm_marketing_results .o_field_widget[name='result_lead_count'] span", "leads"),
        shows(".o_crm_marketing_results .o_field_widget[name='result_won_count'] span", "won"),
        ...screenChecks("campaign_results", { scrollTo: ".o_notebook" }),
    ],
});
