import { registry } from "@web/core/registry";
import { displayedText, expected, screenChecks } from "@crm_core/../tests/tours/crm_tour_utils";

/**
 * The pipeline shows the salesperson's running target ("My plan: 1 of 2 deals
 * won") in a bar above the columns, out of the control panel; a click opens
 * the targets. Figures: crm.sales.plan.line.get_pipeline_progress, handed over
 * by tests/test_sales_plan_tour.py.
 */
registry.category("web_tour.tours").add("crm_core_plan_progress_tour", {
    steps: () => [
        {
            content: "the pipeline is open",
            trigger: ".o_kanban_view .o_kanban_record:not(.o_kanban_ghost)",
        },
        {
            content: "the counter of the user's target, above the columns",
            trigger: `.o_kanban_view .o_content .o_crm_plan_progress_line[data-line-id='${expected("line_id")}']`,
            run() {
                const counters = [...document.querySelectorAll(".o_crm_plan_progress_line")];
                if (counters.length !== expected("counter_count")) {
                    throw new Error(`counters: page shows ${counters.length}, test expects ${expected("counter_count")}`);
                }
                const line = counters[0];
                if (line.closest(".o_control_panel")) {
                    throw new Error("counters: inside the control panel, where they push its buttons");
                }
                const label = displayedText(line.querySelector("[name='label']"));
                if (label !== expected("label")) {
                    throw new Error(`counter label: page shows "${label}", test expects "${expected("label")}"`);
                }
                const title = line.getAttribute("title").replace(/\s+/g, " ");
                if (title !== expected("amounts").replace(/\s+/g, " ")) {
                    throw new Error(`counter amounts: page shows "${title}", test expects "${expected("amounts")}"`);
                }
                const bar = line.querySelector(".progress-bar");
                if (bar.style.width !== `${Math.min(expected("rate"), 100)}%`) {
                    throw new Error(`progress bar: page shows ${bar.style.width}, test expects ${expected("rate")}%`);
                }
            },
        },
        {
            content: "the control panel's own buttons stay on one line",
            trigger: ".o_control_panel .o_control_panel_main_buttons button",
            run() {
                for (const button of document.querySelectorAll(".o_control_panel_main_buttons button")) {
                    const height = button.getBoundingClientRect().height;
                    if (height > 40) {
                        throw new Error(`control panel button "${displayedText(button)}" wraps (${height}px high)`);
                    }
                }
            },
        },
        ...screenChecks("pipeline_plan_progress"),
        {
            content: "open the targets",
            trigger: ".o_crm_plan_progress_line",
            run: "click",
        },
        {
            content: "the targets open and show the same progress",
            // the pipeline came first: the targets are the second level of the breadcrumbs
            trigger: ".o_view_controller:has(.o_breadcrumb .breadcrumb-item) .o_kanban_record:not(.o_kanban_ghost)",
            run() {
                const shown = displayedText(document.querySelector(
                    ".o_view_controller:has(.o_breadcrumb .breadcrumb-item) .o_kanban_record:not(.o_kanban_ghost)"));
                if (!shown.includes(expected("target_progress"))) {
                    throw new Error(`target progress: page shows "${shown}", test expects "${expected("target_progress")}"`);
                }
            },
        },
    ],
});
