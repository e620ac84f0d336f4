from . import test_deal_currencies_and_companies, test_deal_to_cash
