from . import (
    test_deal_currencies_and_companies,
    test_deal_to_cash,
    test_portal_isolation,
    test_privacy,
    test_security_matrix,
    test_translations,
)
