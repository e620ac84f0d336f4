{
    "name": "CRM Core - Manufacturing Bridge: Pipeline Demand and Production Proposals",
    "version": "19.0.1.1.0",
    "category": "Sales/CRM",
    "summary": "Pipeline demand forecast per product and month, draft manufacturing "
    "orders for probable deals, deliveries on the customer timeline",
    "author": "CRM Suite developers",
    "website": "https://github.com/crm-suite/crm-suite",
    "license": "LGPL-3",
    "depends": ["crm_core", "sale_mrp"],
    "data": [
        "security/ir.model.access.csv",
        "security/crm_core_mrp_security.xml",
        "report/crm_demand_forecast_views.xml",
        "views/crm_lead_views.xml",
        "views/mrp_production_views.xml",
        "views/res_config_settings_views.xml",
        "views/crm_core_mrp_menus.xml",
    ],
    "demo": ["demo/crm_core_mrp_demo.xml"],
    "installable": True,
    "auto_install": True,
    "application": False,
}
