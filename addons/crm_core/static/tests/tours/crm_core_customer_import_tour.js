import { registry } from "@web/core/registry";
import { screenshotSteps } from "@crm_core/../tests/tours/crm_tour_utils";

/**
 * The import wizard on the 1C sample file: read it, check the mapped columns
 * and the normalized preview, import.
 * Data and checks: tests/test_tours.py (TestCrmCoreImportTour).
 */
registry.category("web_tour.tours").add("crm_core_customer_import_tour", {
    steps: () => [
        {
            content: "read the uploaded file",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_read_file']",
            run: "click",
        },
        {
            content: "the contact column is recognised",
            trigger: ".o_field_widget[name='column_ids'] .o_data_row:contains('Контактное лицо'):contains('Contact Name')",
        },
        {
            content: "the INN column is recognised",
            trigger: ".o_field_widget[name='column_ids'] .o_data_row:contains('ИНН'):contains('INN')",
        },
        {
            content: "the phone column is recognised",
            trigger: ".o_field_widget[name='column_ids'] .o_data_row:contains('Телефон'):contains('Phone')",
        },
        ...screenshotSteps("import_mapping", ".o_notebook"),
        {
            content: "look at the preview",
            trigger: ".o_form_view .o_notebook_headers a[name='preview']",
            run: "click",
        },
        {
            content: "phones are normalized and each row has its decision",
            trigger: ".o_field_widget[name='preview_row_ids'] .o_data_row:contains('+79123456789'):contains('Created')",
        },
        ...screenshotSteps("import_preview", ".o_notebook"),
        {
            content: "import",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_import']",
            run: "click",
        },
        {
            content: "the import is done",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Done')",
        },
        {
            content: "every row is logged",
            trigger: ".o_field_widget[name='rows_total']:contains(150)",
        },
        ...screenshotSteps("import_done"),
    ],
});
