{
    "name": "CRM Service: Tickets, SLA in Business Hours, Agreements, Knowledge Base, Portal",
    "version": "19.0.1.0.0",
    "category": "Services/Helpdesk",
    "summary": "Service requests with SLA measured in working time, service agreements, "
    "escalation, knowledge base and a customer portal",
    "author": "CRM Suite developers",
    "website": "https://github.com/crm-suite/crm-suite",
    "license": "LGPL-3",
    "depends": ["crm_core", "portal", "rating", "resource"],
    "data": [
        "security/crm_service_security.xml",
        "security/ir.model.access.csv",
        "security/crm_service_access_rules.xml",
        "data/crm_service_data.xml",
        "views/crm_service_ticket_views.xml",
        "views/crm_service_team_views.xml",
        "views/crm_service_sla_views.xml",
        "views/crm_service_agreement_views.xml",
        "views/crm_service_article_views.xml",
        "views/res_partner_views.xml",
        "views/crm_lead_views.xml",
        "views/crm_service_portal_templates.xml",
        "views/crm_service_menus.xml",
    ],
    "demo": ["demo/crm_service_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "crm_service/static/tests/tours/**/*",
        ],
    },
    "installable": True,
    "application": True,
}
