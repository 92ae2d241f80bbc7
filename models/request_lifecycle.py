"""The request lifecycle (B3): states, their groups, legal transitions and
what each transition stamps, the reasons and billable causes. Plain
constants shared by the model, its wizards, crons, portal and tests; the
rules are enforced in ``intervention_request_workflow_mixin``."""

from datetime import timedelta

STATES = [
    ("new", "New"),
    ("received", "Received"),
    ("qualified", "Qualified"),
    ("in_progress", "In Progress"),
    ("onsite", "On Site"),
    ("waiting", "Waiting on Client"),
    ("workaround", "Workaround Provided"),
    ("resolved", "Resolved"),
    ("reopened", "Reopened"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
    ("rejected", "Rejected"),
]

# How urgent a request is (the SLA policy's lines, the reminders and the
# reports use the same lists).
SEVERITIES = [("blocking", "Blocking"), ("major", "Major"), ("minor", "Minor")]
PRIORITIES = [("0", "Low"), ("1", "Normal"), ("2", "High"), ("3", "Urgent")]
# How the request reached us.
CHANNELS = [
    ("portal", "Portal"),
    ("phone", "Phone"),
    ("email", "E-mail"),
    ("oncall", "On-call"),
    ("internal", "Internal"),
]

# The legal moves of the lifecycle (B3). Every state change, whether from a
# button, an RPC write or an import, goes through _check_transition.
TRANSITIONS = {
    "new": {"received", "cancelled", "rejected"},
    "received": {"qualified", "waiting", "cancelled", "rejected"},
    "qualified": {
        "in_progress",
        "onsite",
        "waiting",
        "workaround",
        "resolved",
        "cancelled",
        "rejected",
    },
    "in_progress": {
        "onsite",
        "waiting",
        "workaround",
        "resolved",
        "cancelled",
        "rejected",
    },
    "onsite": {"in_progress", "waiting", "workaround", "resolved", "cancelled"},
    "waiting": {
        "received",
        "qualified",
        "in_progress",
        "onsite",
        "workaround",
        "reopened",
        "resolved",
        "closed",
        "cancelled",
    },
    "workaround": {"in_progress", "onsite", "waiting", "resolved"},
    "resolved": {"closed", "reopened"},
    "reopened": {
        "qualified",
        "in_progress",
        "onsite",
        "waiting",
        "workaround",
        "resolved",
    },
    "closed": set(),
    "cancelled": set(),
    "rejected": set(),
}
# Groups of states: the one vocabulary of the models, crons, portal and
# tests (views read the stored flags ``is_open`` / ``is_closed``).
# No move left from these.
FINAL_STATES = ("closed", "cancelled", "rejected")
# No work left: resolved or final (a request not in these is open).
DONE_STATES = ("resolved", *FINAL_STATES)
# Fixed: the cause and resolution are recorded, the resolution target met.
SOLVED_STATES = ("resolved", "closed")
# Awaiting an action from us whatever the messages say (acknowledge, call
# back, look at the reopened request).
AWAITING_STATES = ("new", "received", "reopened")
# Open and not waiting on the client: the request waits on the desk, and
# the client may chase us from the portal (D2).
DESK_STATES = tuple(
    state for state, _label in STATES if state not in (*DONE_STATES, "waiting")
)
# Moves that start (or conclude) the work: refused on an out-of-contract
# request whose terms the client has not accepted (H2).
WORK_STATES = ("in_progress", "onsite", "workaround", "resolved")

# Timestamp written when a state is first reached (kept afterwards: the SLA
# clocks use them) and those rewritten every time it is reached.
FIRST_DATE_FIELDS = {
    "received": "date_acknowledged",
    "qualified": "date_qualified",
    "onsite": "date_onsite_assigned",
    "workaround": "date_workaround",
}
LAST_DATE_FIELDS = {
    "resolved": "date_resolved",
    "reopened": "date_reopened",
    "closed": "date_closed",
    "cancelled": "date_closed",
    "rejected": "date_closed",
}
# Context key set on the request the mail gateway's ``message_new`` returns:
# the gateway posts the incoming e-mail on it next, and the intake answers
# follow that post (here, not in the mail model's file: importing that file
# from another model file would change the order of the model's classes).
INTAKE_CONTEXT_KEY = "intervention_email_intake"
# Dates only the transitions write (at the instant of the move, so in order
# and never in the future); users, RPC clients and imports may not.
STAMPED_DATE_FIELDS = frozenset(FIRST_DATE_FIELDS.values()) | frozenset(
    LAST_DATE_FIELDS.values()
)
# Context key under which the request's SLA sync waits: a transition runs
# it once, among its effects, after the freezes it opens or closes.
SLA_DEFERRED_CONTEXT_KEY = "intervention_sla_deferred"
# Context key letting data loading (demo history, migrations), which runs as
# superuser, backdate them (``_may_write_history``).
HISTORY_CONTEXT_KEY = "intervention_history_import"
# A reception date may be this much ahead of the server's clock (the clock of
# an integration or of a workstation running slightly fast); later is refused.
RECEPTION_CLOCK_SKEW = timedelta(minutes=1)
# The one reception dated ahead on purpose: the after-hours report dates its
# request at the next business opening (E5). The context key must carry this
# very object, which no RPC call, import or form can send (they send plain
# data: a forged ``True`` is refused), so only the report's code path can.
ONCALL_RECEPTION_CONTEXT_KEY = "intervention_oncall_reception"
ONCALL_RECEPTION = object()
WAITING_FREEZE_REASONS = {"prerequisite", "site_access", "client_tests", "client_info"}

CANCEL_REASONS = [
    ("not_responsible", "Not the company's responsibility"),
    ("out_of_scope", "Out of scope"),
    ("duplicate", "Duplicate request"),
    ("withdrawn", "Withdrawn by the client"),
    ("terms_declined", "Terms declined by the client"),
]
REJECT_REASONS = {"not_responsible", "out_of_scope"}

# Why a request is billable (H1).
BILLABLE_CAUSES = [
    ("out_of_contract", "Out of contract"),
    ("abnormal_use", "Abnormal or fraudulent use"),
    ("not_responsible", "Not the company's responsibility"),
    ("excluded_service", "Excluded service"),
    ("traceability", "Traceability request outside the portal"),
    ("channel_surcharge", "Phone / e-mail surcharge (1 UT)"),
]
# Causes the intake checks give on their own (H1): the eligibility verdict's
# and the phone / e-mail surcharge; the others are set by staff.
AUTOMATIC_BILLABLE_CAUSES = ("out_of_contract", "excluded_service", "channel_surcharge")
# Causes that follow the eligibility verdict; the others are set by staff.
COVERAGE_BILLABLE_CAUSES = {"excluded_service": "excluded_service"}
