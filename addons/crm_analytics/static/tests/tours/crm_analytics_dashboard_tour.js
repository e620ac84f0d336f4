import { registry } from "@web/core/registry";
import { screenshotSteps } from "@crm_core/../tests/tours/crm_tour_utils";

/**
 * Opens the CRM dashboard, picks the test's team, checks the key figures
 * computed from the test's data (see tests/test_crm_analytics_dashboard_tour.py)
 * and switches the period.
 */
registry.category("web_tour.tours").add("crm_analytics_dashboard_tour", {
    url: "/odoo/action-crm_analytics.crm_analytics_dashboard_action",
    steps: () => [
        {
            content: "the dashboard shows its key figures",
            trigger: ".o_crm_analytics_dashboard .o_crm_dashboard_kpi[data-kpi='won_amount']",
        },
        {
            content: "pick the tour team",
            trigger: ".o_crm_dashboard_team:has(option:contains('Tour Team'))",
            run() {
                const select = document.querySelector(".o_crm_dashboard_team");
                select.value = [...select.options].find((option) => option.text === "Tour Team").value;
                select.dispatchEvent(new Event("change"));
            },
        },
        {
            content: "the team won two deals and lost one this year",
            trigger: ".o_crm_dashboard_kpi[data-kpi='won_lost'] .o_crm_dashboard_kpi_value:contains('2 / 1')",
        },
        {
            content: "win rate 2 of 3",
            trigger: ".o_crm_dashboard_kpi[data-kpi='win_rate'] .o_crm_dashboard_kpi_value:contains('66.7')",
        },
        {
            content: "the plan counts won deals: 3500 of 7000 this year",
            trigger: ".o_crm_dashboard_kpi[data-kpi='plan']:contains('Plan achieved (deals won)') .o_crm_dashboard_kpi_value:contains('(50.0 %)')",
        },
        {
            content: "the salesperson bar chart lists the tour seller",
            trigger: ".o_crm_dashboard_managers .o_crm_dashboard_bar_label:contains('Tour Seller')",
        },
        {
            content: "losses are grouped by reason",
            trigger: ".o_crm_dashboard_losses .o_crm_dashboard_bar_label:contains('Tour: too expensive')",
        },
        {
            content: "switch to the current quarter",
            trigger: ".o_crm_dashboard_period",
            run: "select quarter",
        },
        {
            content: "the deals closed today are in this quarter too",
            trigger: ".o_crm_dashboard_kpi[data-kpi='won_lost'] .o_crm_dashboard_kpi_value:contains('2 / 1')",
        },
        ...screenshotSteps("crm_dashboard"),
    ],
});
