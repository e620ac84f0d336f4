from . import test_demand_forecast, test_production_proposals
