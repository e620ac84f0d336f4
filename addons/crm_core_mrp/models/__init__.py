from . import crm_lead, mrp_production, res_config_settings, res_partner, stock_rule
