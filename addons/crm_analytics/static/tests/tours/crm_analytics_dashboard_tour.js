import { registry } from "@web/core/registry";
import { displayedText, expected, screenChecks } from "@crm_core/../tests/tours/crm_tour_utils";

/**
 * Opens the CRM dashboard, picks the test's team and checks every figure against
 * the value the test read from the report the figure's card links to (see
 * tests/test_crm_analytics_dashboard_tour.py), in the tour language. Triggers
 * only use classes and data-* attributes, never our text.
 */
function assertShown(element, value, what) {
    if (!element) {
        throw new Error(`${what}: not on the dashboard, the test expects ${JSON.stringify(value)}`);
    }
    const shown = displayedText(element);
    if (shown !== value) {
        throw new Error(`${what}: the dashboard shows ${JSON.stringify(shown)}, the report gives ${JSON.stringify(value)}`);
    }
}

function kpi(name) {
    return document.querySelector(`.o_crm_dashboard_kpi[data-kpi='${name}'] .o_crm_dashboard_kpi_value`);
}

/** The rows of a card, once each row of the report (the keys of ``byId``) is shown, and only those. */
function rowsOf(selector, byId, what) {
    const rows = document.querySelectorAll(selector);
    if (rows.length !== Object.keys(byId).length) {
        throw new Error(`${what}: ${rows.length} rows shown, the report has ${Object.keys(byId).length}`);
    }
    return rows;
}

function assertIncludes(element, value, what) {
    const shown = displayedText(element);
    if (!shown.includes(value)) {
        throw new Error(`${what}: the dashboard shows ${JSON.stringify(shown)}, without ${JSON.stringify(value)}`);
    }
}

registry.category("web_tour.tours").add("crm_analytics_dashboard_tour", {
    url: "/odoo/action-crm_analytics.crm_analytics_dashboard_action",
    steps: () => [
        {
            content: "the dashboard shows its key figures",
            trigger: ".o_crm_analytics_dashboard .o_crm_dashboard_kpi[data-kpi='won_amount']",
        },
        {
            content: "pick the tour team",
            trigger: `.o_crm_dashboard_team:has(option[value='${expected("team_id")}'])`,
            run() {
                const select = document.querySelector(".o_crm_dashboard_team");
                select.value = expected("team_id");
                select.dispatchEvent(new Event("change"));
            },
        },
        {
            content: "every key figure of the team equals the salesperson report's",
            trigger: `.o_crm_dashboard_kpis[data-team-id='${expected("team_id")}'][data-period='year']`,
            run() {
                assertShown(document.querySelector(".o_crm_dashboard_range"), expected("date_range"), "period");
                for (const name of ["won_amount", "won_lost", "win_rate", "avg_deal", "cycle", "confirmed",
                                    "invoiced", "pipeline", "activities"]) {
                    assertShown(kpi(name), expected(name), `KPI ${name}`);
                }
                assertIncludes(kpi("plan"), expected("plan_achieved"), "plan achieved");
                assertIncludes(kpi("plan"), expected("plan_target"), "plan target");
                for (const card of document.querySelectorAll(".o_crm_dashboard_kpi")) {
                    if (!card.title) {
                        throw new Error(`KPI ${card.dataset.kpi}: no definition in its tooltip`);
                    }
                }
            },
        },
        {
            content: "the funnel equals the funnel report: count and conversion per stage",
            trigger: ".o_crm_dashboard_funnel",
            run() {
                const funnel = expected("funnel");
                for (const row of rowsOf(".o_crm_dashboard_funnel_row", funnel, "funnel stages")) {
                    const [count, conversion] = funnel[row.dataset.stageId];
                    assertShown(row.querySelector(".o_crm_dashboard_count"), count, `funnel stage ${row.dataset.stageId}`);
                    assertShown(row.querySelector(".o_crm_dashboard_conversion"), conversion,
                                `conversion of stage ${row.dataset.stageId}`);
                }
            },
        },
        {
            content: "losses by reason equal the loss report's",
            trigger: ".o_crm_dashboard_losses",
            run() {
                const losses = expected("losses");
                for (const row of rowsOf(".o_crm_dashboard_loss_row", losses, "loss reasons")) {
                    assertShown(row.querySelector(".o_crm_dashboard_count"), losses[row.dataset.reasonId],
                                `losses of reason ${row.dataset.reasonId}`);
                }
            },
        },
        {
            content: "the forecast error equals the forecast report's, capped above 100 %",
            trigger: ".o_crm_dashboard_forecast",
            run() {
                const users = expected("forecast_users");
                const error = document.querySelector(".o_crm_dashboard_forecast_error");
                if (!Object.keys(users).length) {
                    if (error) {
                        throw new Error("forecast error shown although the report has no snapshot");
                    }
                    return;
                }
                assertShown(error, expected("forecast_error"), "forecast error");
                for (const row of rowsOf(".o_crm_dashboard_forecast_row", users, "forecast salespeople")) {
                    assertShown(row.querySelector(".o_crm_dashboard_forecast_user_error"), users[row.dataset.userId],
                                `forecast error of user ${row.dataset.userId}`);
                }
            },
        },
        {
            content: "SLA compliance equals the service report's",
            trigger: ".o_crm_dashboard_service [data-service='sla_compliance']",
            run() {
                assertShown(document.querySelector("[data-service='sla_compliance']"), expected("sla_compliance"),
                            "SLA compliance");
            },
        },
        ...screenChecks("crm_dashboard"),
        {
            content: "switch to the current quarter",
            trigger: ".o_crm_dashboard_period",
            run: "select quarter",
        },
        {
            content: "this quarter's deals equal the salesperson report's for the quarter",
            trigger: `.o_crm_dashboard_kpis[data-team-id='${expected("team_id")}'][data-period='quarter']`,
            run() {
                assertShown(kpi("won_lost"), expected("quarter_won_lost"), "won / lost this quarter");
            },
        },
        {
            content: "open the losses behind the card",
            trigger: ".o_crm_dashboard_losses .card-header a",
            run: "click",
        },
        {
            content: "the loss report opens on the lost deals of the period (none: its empty help)",
            // the pivot renders its table or its empty help once its data is loaded
            trigger: ".o_action_manager .o_pivot_view:has(.o_view_nocontent, table)",
            run() {
                const empty = Boolean(document.querySelector(".o_action_manager .o_pivot_view .o_view_nocontent"));
                if (empty !== !expected("quarter_has_losses")) {
                    throw new Error(`loss report: ${empty ? "empty" : "has rows"}, the test expects the opposite`);
                }
            },
        },
    ],
});
