{
    "name": "CRM Analytics: Funnel, Managers, ABC/XYZ, RFM, Forecast Accuracy, Dashboard",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "summary": "SQL-backed CRM reports: funnel, manager performance, ABC/XYZ and RFM, "
    "campaign effectiveness, losses, forecast accuracy, service KPIs and a dashboard",
    "author": "CRM Suite developers",
    "website": "https://github.com/crm-suite/crm-suite",
    "license": "LGPL-3",
    "depends": ["crm_core", "crm_marketing", "crm_service", "sale_crm", "account"],
    "data": [
        "security/crm_analytics_security.xml",
        "security/ir.model.access.csv",
        "data/crm_analytics_data.xml",
        "report/crm_analytics_funnel_views.xml",
        "report/crm_analytics_manager_views.xml",
        "report/crm_analytics_loss_views.xml",
        "report/crm_analytics_campaign_views.xml",
        "report/crm_analytics_forecast_views.xml",
        "report/crm_analytics_abc_xyz_views.xml",
        "report/crm_analytics_service_views.xml",
        "views/res_partner_views.xml",
        "views/product_template_views.xml",
        "views/res_config_settings_views.xml",
        "views/crm_forecast_snapshot_views.xml",
        "views/crm_analytics_dashboard_views.xml",
        "views/crm_analytics_menus.xml",
    ],
    "demo": [
        "demo/crm_analytics_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "crm_analytics/static/src/dashboard/**/*",
        ],
        "web.assets_tests": [
            "crm_analytics/static/tests/tours/**/*",
        ],
    },
    "installable": True,
    "application": False,
}
