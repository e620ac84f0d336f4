from . import (
    base_partner_merge_automatic_wizard,
    crm_interaction_log_wizard,
    crm_partner_dedup_choice,
    crm_partner_dedup_group,
    crm_partner_dedup_wizard,
    privacy_lookup_wizard,
    sale_make_invoice_advance,
)
