from . import portal
from . import compliance_portal
from . import rating
