from . import crm_demand_forecast
