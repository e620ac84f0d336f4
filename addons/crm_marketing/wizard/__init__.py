from . import crm_distribution_wizard, crm_lead_list_wizard, crm_lead_lost, privacy_lookup_wizard
