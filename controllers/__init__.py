from . import portal
from . import compliance_portal
