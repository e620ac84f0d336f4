{
    "name": "CRM Analytics: Funnel, Managers, ABC/XYZ, RFM, Forecast Accuracy, Dashboard",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "summary": "SQL-backed CRM reports: funnel, manager performance, ABC/XYZ and RFM, "
    "campaign effectiveness, losses, forecast accuracy, service KPIs and a dashboard",
    "author": "CRM Suite developers",
    "website": "https://github.com/crm-suite/crm-suite",
    "license": "LGPL-3",
    "depends": ["crm_core", "crm_marketing", "crm_service"],
    "data": [
        "security/crm_analytics_security.xml",
        "security/ir.model.access.csv",
        "views/crm_analytics_menus.xml",
    ],
    "demo": [],
    "installable": True,
    "application": False,
}
