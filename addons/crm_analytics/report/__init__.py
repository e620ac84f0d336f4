from . import (
    crm_analytics_abc_xyz,
    crm_analytics_campaign,
    crm_analytics_campaign_roi,
    crm_analytics_forecast,
    crm_analytics_funnel,
    crm_analytics_loss,
    crm_analytics_manager,
    crm_analytics_service,
)
