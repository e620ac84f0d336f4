# one import per line: tests/test_layout.py checks each test module is listed
from . import test_campaign_budget  # noqa: I001
from . import test_campaign_forecast
from . import test_campaign_form
from . import test_campaign_results
from . import test_competitor
from . import test_consent
from . import test_constraints
from . import test_crm_marketing_security_groups
from . import test_distribution
from . import test_lead_list
from . import test_money_currencies
from . import test_rpc_guards
from . import test_segment
from . import test_settings
from . import test_tours
from . import test_attack_assignment
