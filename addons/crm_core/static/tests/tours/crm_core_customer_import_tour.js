import { registry } from "@web/core/registry";
import { displayedText, expected, screenChecks } from "@crm_core/../tests/tours/crm_tour_utils";

/**
 * The import wizard on a Bitrix24 export with duplicates and phones to infer:
 * read it, check the totals of the preview for the whole file, see the
 * duplicates with what they match, import, check the totals of the result.
 * Every value comes from the test: tests/test_tours.py (TestCrmCoreImportTour).
 */
function assertFields(fields) {
    const problems = [];
    for (const [name, key] of Object.entries(fields)) {
        const element = document.querySelector(`.o_form_view .o_field_widget[name='${name}']`);
        const shown = displayedText(element);
        if (shown !== expected(key)) {
            problems.push(`${name}: the page shows ${JSON.stringify(shown)}, the test expects ${JSON.stringify(expected(key))}`);
        }
    }
    if (problems.length) {
        throw new Error(problems.join("\n"));
    }
}

function outcomes() {
    return [...document.querySelectorAll(".o_view_controller.o_list_view .o_data_row td[name='outcome']")].map(displayedText);
}

registry.category("web_tour.tours").add("crm_core_customer_import_tour", {
    steps: () => [
        {
            content: "read the uploaded file",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_read_file']",
            run: "click",
        },
        {
            content: "the file is read: its columns are mapped",
            trigger: ".o_form_view .o_field_widget[name='column_ids'] .o_data_row",
            timeout: 60000, // every row of the file is decided: slow on a loaded test machine
        },
        ...screenChecks("import_mapping", { allow: expected("allow"), scrollTo: ".o_notebook" }),
        {
            content: "the preview counts every row of the file",
            trigger: ".o_form_view .o_field_widget[name='preview_rows_read']",
            run() {
                assertFields({
                    preview_rows_read: "rows",
                    preview_create_count: "to_create",
                    preview_update_count: "to_update",
                    preview_skip_count: "to_skip",
                    preview_reject_count: "to_reject",
                    preview_file_duplicate_count: "file_duplicates",
                    preview_existing_duplicate_count: "existing_duplicates",
                    preview_phone_inferred_count: "phones_inferred",
                    preview_reject_reasons: "reject_reasons",
                });
            },
        },
        {
            content: "look at the preview",
            trigger: ".o_form_view .o_notebook_headers a[name='preview']",
            run: "click",
        },
        {
            content: "each row says what will happen to it",
            trigger: ".o_field_widget[name='preview_row_ids'] .o_data_row td[name='outcome']",
        },
        ...screenChecks("import_preview", {
            allow: expected("allow"),
            scrollTo: ".o_form_view .o_field_widget[name='preview_rows_read']",
        }),
        {
            content: "show the duplicates only",
            trigger: ".o_form_view .o_notebook button[name='action_view_preview_rows']",
            run: "click",
        },
        {
            content: "the duplicates are listed, each with what it matches",
            trigger: ".o_view_controller.o_list_view .o_data_row td[name='outcome']",
            run() {
                const shown = outcomes();
                if (shown.length !== expected("duplicate_count")) {
                    throw new Error(`${shown.length} duplicates listed, the test expects ${expected("duplicate_count")}`);
                }
                for (const key of ["file_duplicate_outcome", "existing_duplicate_outcome"]) {
                    if (!shown.includes(expected(key))) {
                        throw new Error(`no row reads ${JSON.stringify(expected(key))}: ${JSON.stringify(shown)}`);
                    }
                }
            },
        },
        ...screenChecks("import_duplicates", { allow: expected("allow") }),
        {
            content: "back to the import",
            trigger: ".o_breadcrumb .o_back_button a",
            run: "click",
        },
        {
            content: "import",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_import']",
            run: "click",
        },
        {
            content: "the import is done",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='done']",
            timeout: 60000,
        },
        {
            content: "the result is what the preview announced",
            trigger: ".o_form_view .o_field_widget[name='created_count']",
            run() {
                assertFields({
                    rows_total: "rows",
                    created_count: "created",
                    updated_count: "updated",
                    skipped_count: "skipped",
                    rejected_count: "rejected",
                });
            },
        },
        ...screenChecks("import_done", { allow: expected("allow") }),
    ],
});
