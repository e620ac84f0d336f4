from . import test_crm_core_security_groups
