from . import intervention_request_wait_wizard
from . import intervention_request_route_wizard
from . import intervention_request_cancel_wizard
from . import intervention_request_charge_wizard
from . import intervention_request_terms_wizard
from . import intervention_invoice_wizard
