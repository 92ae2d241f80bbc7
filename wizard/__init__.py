from . import intervention_request_wait_wizard
from . import intervention_request_route_wizard
from . import intervention_request_cancel_wizard
from . import intervention_oncall_call_wizard
from . import intervention_oncall_report_wizard
from . import intervention_oncall_rota_wizard
from . import intervention_oncall_export_wizard
