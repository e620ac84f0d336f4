{
    "name": "CRM Marketing: Campaign Budgets and ROI, Segments, Lead Distribution",
    "version": "19.0.1.0.0",
    "category": "Marketing",
    "summary": "Campaign plans, budgets, costs and ROI on utm.campaign, partner segments, "
    "rule-based lead distribution, competitors and prices",
    "author": "CRM Suite developers",
    "website": "https://github.com/crm-suite/crm-suite",
    "license": "LGPL-3",
    "depends": ["crm_core", "mass_mailing", "mass_mailing_crm", "utm"],
    "data": [
        "security/crm_marketing_security.xml",
        "security/ir.model.access.csv",
        "views/crm_marketing_menus.xml",
    ],
    "demo": [],
    "installable": True,
    "application": False,
}
