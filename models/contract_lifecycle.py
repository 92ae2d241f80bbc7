"""The contract lifecycle: states and the legal moves between them. Plain
constants; ``intervention.contract.write()`` enforces them for every change
of state (buttons, the expiry scheduled action, RPC writes, imports)."""

CONTRACT_STATES = [
    ("draft", "Draft"),
    ("active", "Active"),
    ("expired", "Expired"),
    ("terminated", "Terminated"),
]

# draft -> active -> expired / terminated; an ended contract may be reset to
# draft to be amended and activated again. An active contract never goes
# back to draft: that would silently stop covering its requests.
CONTRACT_TRANSITIONS = {
    "draft": {"active"},
    "active": {"expired", "terminated"},
    "expired": {"draft"},
    "terminated": {"draft"},
}
