from . import crm_distribution_wizard, crm_lead_list_wizard, crm_lead_lost, mail_compose_message
