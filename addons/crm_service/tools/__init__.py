# Pure helpers (no odoo import): SLA clock in working time, assignment, article matching.
