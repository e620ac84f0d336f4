# one import per line: tests/test_layout.py checks each test module is listed
from . import test_crm_service_security_groups  # noqa: I001
from . import test_sla
from . import test_escalation
from . import test_agreement
from . import test_constraints
from . import test_access
from . import test_ticket_flow
from . import test_knowledge
from . import test_portal
from . import test_ticket_ownership
from . import test_tours
from . import test_portal_request
from . import test_ticket_customer_contact
from . import test_attack_portal_token
from . import test_partner_ticket_count
from . import test_article_votes
from . import test_portal_share_link_forms
