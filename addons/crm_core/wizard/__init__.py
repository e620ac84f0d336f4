from . import (
    crm_interaction_log_wizard,
    crm_partner_dedup_group,
    crm_partner_dedup_wizard,
    crm_timeline,
    sale_make_invoice_advance,
)
