from . import (
    crm_analytics_classifier,
    crm_analytics_dashboard,
    crm_forecast_snapshot,
    product_template,
    res_config_settings,
    res_partner,
)
