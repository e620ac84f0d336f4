{
    "name": "CRM Core: Customer 360, Pipeline Rules, ERP Integration",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "summary": "Customer 360 on the partner, interaction history, pipeline rules, "
    "sales plans, deal to quotation to invoice, customer import",
    "author": "CRM Suite developers",
    "website": "https://github.com/crm-suite/crm-suite",
    "license": "LGPL-3",
    "depends": [
        "crm",
        "sale_management",
        "sale_crm",
        "account",
        "contacts",
        "calendar",
        "phone_validation",
    ],
    "external_dependencies": {"python": ["phonenumbers", "openpyxl", "xlrd"]},
    "data": [
        "security/crm_core_security.xml",
        "security/ir.model.access.csv",
        "views/crm_core_menus.xml",
    ],
    "demo": [],
    "installable": True,
    "application": False,
}
