# one import per line: tests/test_layout.py checks each test module is listed
from . import test_demo_data_ua  # noqa: I001
from . import test_edrpou_constraint
from . import test_edrpou_rpc
from . import test_kyiv_salesperson
