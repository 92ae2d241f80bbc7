from . import intervention_sla_report
from . import intervention_rating_report
