from . import business_time
from . import portal_export
