from . import (
    test_attack_files,
    test_attack_personal_data,
    test_attack_portal,
    test_attack_public_methods,
    test_deal_currencies_and_companies,
    test_deal_to_cash,
    test_multi_company_currency_scenario,
    test_portal_isolation,
    test_privacy,
    test_security_matrix,
    test_translations,
)
