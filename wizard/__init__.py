from . import intervention_request_wait_wizard
from . import intervention_request_route_wizard
from . import intervention_request_cancel_wizard
from . import intervention_request_resolve_wizard
