from . import (
    test_constraints,
    test_demand_forecast,
    test_production_proposals,
    test_production_proposals_stock,
    test_rpc_guards,
    test_settings,
)
