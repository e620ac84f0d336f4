# ruff: noqa: I001 - one import per line: tests/test_layout.py looks for "import test_x"
from . import test_crm_analytics_security_groups
from . import test_crm_analytics_abc_xyz
from . import test_crm_analytics_campaign
from . import test_crm_analytics_campaign_money
from . import test_crm_analytics_constraints
from . import test_crm_analytics_dashboard
from . import test_crm_analytics_dashboard_periods
from . import test_crm_analytics_dashboard_reports
from . import test_crm_analytics_dashboard_tour
from . import test_crm_analytics_forecast
from . import test_crm_analytics_funnel
from . import test_crm_analytics_manager
from . import test_crm_analytics_rfm
from . import test_crm_analytics_rpc_guards
from . import test_crm_analytics_service
from . import test_crm_analytics_settings
