{
    "name": "CRM Suite: Ukraine",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "summary": "Ukrainian company code (ЄДРПОУ) checked on partners, and a demo company in Kyiv "
    "in hryvnias on Odoo's Ukrainian localisation",
    "author": "CRM Suite developers",
    "website": "https://github.com/crm-suite/crm-suite",
    "license": "LGPL-3",
    "depends": ["crm_core", "crm_service", "l10n_ua"],
    "data": [],
    "demo": [
        "demo/crm_l10n_ua_company_demo.xml",
        "demo/crm_l10n_ua_sales_demo.xml",
        "demo/crm_l10n_ua_service_demo.xml",
    ],
    "installable": True,
    "application": False,
}
