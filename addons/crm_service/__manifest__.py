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
        "views/crm_service_menus.xml",
    ],
    "demo": [],
    "installable": True,
    "application": True,
}
