from . import crm_competitor_price_report
