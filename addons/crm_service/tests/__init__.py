from . import test_crm_service_security_groups
