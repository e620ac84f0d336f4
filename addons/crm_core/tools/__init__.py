"""Pure Python helpers of crm_core (no odoo import): tested by pytest in tests/."""
