{
    "name": "CRM Suite Tests: Cross-Addon Scenarios",
    "version": "19.0.1.0.0",
    "category": "Hidden/Tests",
    "summary": "Deal to cash across the CRM suite: lead, deal lines, quotation, "
    "manufacturing, delivery, invoice, payment",
    "author": "CRM Suite developers",
    "website": "https://github.com/crm-suite/crm-suite",
    "license": "LGPL-3",
    "depends": ["crm_core", "crm_core_mrp", "crm_marketing", "crm_service", "crm_analytics", "crm_l10n_ua"],
    "data": [],
    "installable": True,
    "application": False,
}
