import { registry } from "@web/core/registry";
import { screenshotSteps } from "@crm_core/../tests/tours/crm_tour_utils";

/**
 * The pipeline shows the salesperson's running target ("My plan: 1 of 2 deals
 * won") in its control panel; a click opens the targets.
 * Data: tests/test_sales_plan_tour.py.
 */
registry.category("web_tour.tours").add("crm_core_plan_progress_tour", {
    steps: () => [
        {
            content: "the pipeline is open",
            trigger: ".o_kanban_view .o_kanban_record:contains('Тур: стулья для «Ромашки»')",
        },
        {
            content: "the counter of the user's target",
            trigger: ".o_crm_plan_progress_line:contains('My plan: 1 of 2 deals won')",
        },
        ...screenshotSteps("pipeline_plan_progress"),
        {
            content: "open the targets",
            trigger: ".o_crm_plan_progress_line",
            run: "click",
        },
        {
            content: "the targets open",
            trigger: ".o_breadcrumb .active:contains('My Targets')",
        },
        {
            content: "the target shows the same progress",
            trigger: ".o_kanban_record:contains('1 / 2 deals won')",
        },
    ],
});
