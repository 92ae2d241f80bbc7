from . import test_access_rights
from . import test_completeness
from . import test_contract
from . import test_eligibility
from . import test_freeze
from . import test_request_state
from . import test_routing
from . import test_ui
