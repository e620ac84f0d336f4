import { registry } from "@web/core/registry";
import {
    displayedText,
    expected,
    screenChecks,
    tourSize,
} from "@crm_core/../tests/tours/crm_tour_utils";

/**
 * Tours that test the tour framework itself (crm_core/tests/test_tour_framework.py).
 *
 * crm_core_tour_framework_tour, on the contact roles: the page is in the tour
 * language, then expected("mode") spoils it on purpose before screenChecks:
 * "term" shows expected("english_term"), "overlap" lays an element of ours over
 * the search bar, "wrap" adds a squeezed button of two words; "create" adds a role named
 * after the size, to show that each size starts from the same data.
 */
function assertText(element, value, what) {
    const shown = displayedText(element);
    if (shown !== value) {
        throw new Error(`${what}: the page shows ${JSON.stringify(shown)}, the test expects ${JSON.stringify(value)}`);
    }
}

function createRoleSteps() {
    return [
        {
            content: "add a role",
            trigger: ".o_control_panel .o_list_button_add",
            run: "click",
        },
        {
            content: "name it after the size",
            trigger: ".o_selected_row td[name=name] input",
            run: `edit ${expected("new_role")} ${tourSize()}`,
        },
        {
            content: "save it",
            trigger: ".o_control_panel .o_list_button_save",
            run: "click",
        },
        {
            content: "nothing left to save",
            trigger: ".o_list_view:not(:has(.o_selected_row))",
        },
    ];
}

registry.category("web_tour.tours").add("crm_core_tour_framework_tour", {
    steps: () => [
        {
            content: "the contact roles are listed",
            trigger: ".o_list_view .o_data_row td[name=name]",
        },
        {
            content: "the action and a role read in the tour language",
            trigger: ".o_breadcrumb .active",
            run() {
                assertText(document.querySelector(".o_breadcrumb .active"), expected("action_name"), "breadcrumb");
                const names = [...document.querySelectorAll(".o_data_row td[name=name]")].map(displayedText);
                if (!names.includes(expected("role_name"))) {
                    throw new Error(`role ${expected("role_name")} not in ${JSON.stringify(names)}`);
                }
            },
        },
        {
            content: "spoil the page as the test asks",
            trigger: ".o_control_panel .o_searchview",
            run() {
                const mode = expected("mode");
                if (mode === "term") {
                    const probe = document.createElement("div");
                    probe.className = "o_crm_tour_probe";
                    probe.textContent = expected("english_term");
                    document.querySelector(".o_content").prepend(probe);
                } else if (mode === "overlap") {
                    const box = document.querySelector(".o_control_panel .o_searchview").getBoundingClientRect();
                    const probe = document.createElement("div");
                    probe.className = "o_crm_tour_probe";
                    probe.textContent = "42";
                    Object.assign(probe.style, {
                        position: "fixed",
                        left: `${box.left + 10}px`,
                        top: `${box.top}px`,
                        width: "120px",
                        height: `${box.height}px`,
                    });
                    document.querySelector(".o_control_panel").append(probe);
                } else if (mode === "wrap") {
                    const button = document.createElement("button");
                    button.className = "btn btn-secondary o_crm_tour_probe";
                    button.textContent = "Создать лиды";
                    Object.assign(button.style, { maxWidth: "5em", whiteSpace: "normal" });
                    document.querySelector(".o_control_panel .o_control_panel_main_buttons").append(button);
                }
            },
        },
        ...screenChecks("crm_tour_framework"),
        ...(expected("mode") === "create" ? createRoleSteps() : []),
    ],
});

/**
 * crm_core_tour_values_tour, on the deals as a list: the revenue and the closing
 * date of each deal of expected("rows") show exactly as CrmTourCase.tour_format wrote them in Python.
 */
registry.category("web_tour.tours").add("crm_core_tour_values_tour", {
    steps: () => [
        {
            content: "the deal is listed",
            trigger: ".o_list_view .o_data_row td[name=name]",
        },
        {
            content: "show the optional column of the closing date",
            trigger: ".o_optional_columns_dropdown_toggle",
            run: "click",
        },
        {
            content: "tick the closing date",
            trigger: ".o-dropdown--menu input[name=date_deadline]",
            run: "click",
        },
        {
            content: "its revenue and closing date are formatted as in the test",
            trigger: ".o_list_view .o_data_row td[name=date_deadline]",
            run() {
                for (const { name, revenue, deadline } of expected("rows")) {
                    const row = [...document.querySelectorAll(".o_data_row")].find(
                        (candidate) => displayedText(candidate.querySelector("td[name=name]")) === name
                    );
                    if (!row) {
                        throw new Error(`deal ${name} not listed`);
                    }
                    assertText(row.querySelector("td[name=expected_revenue]"), revenue, `revenue of ${name}`);
                    assertText(row.querySelector("td[name=date_deadline]"), deadline, `closing date of ${name}`);
                }
            },
        },
    ],
});
