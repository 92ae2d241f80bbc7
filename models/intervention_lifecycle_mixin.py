from odoo import models
from odoo.exceptions import UserError


class InterventionLifecycleMixin(models.AbstractModel):
    """The gate of a state machine, shared by the request (B3) and the
    contract: a ``state`` selection and a table of legal moves
    ``{state: {targets}}``. Rewriting the current state is no move."""

    _name = "intervention.lifecycle.mixin"
    _description = "State Machine Gate"

    def _check_state_graph(self, target, transitions):
        """Raise a UserError for an unknown ``target`` or for a record of
        ``self`` that ``transitions`` does not let move to it; return the
        records that move."""
        labels = dict(self._fields["state"]._description_selection(self.env))
        if target not in labels:
            raise UserError(self._message_unknown_state(target))
        moving = self.filtered(lambda r: r.state != target)
        illegal = moving.filtered(lambda r: target not in transitions[r.state])
        if illegal:
            raise UserError(
                self.env._(
                    "%(records)s cannot move to %(target)s from its current state "
                    "(%(states)s).",
                    records=", ".join(illegal.mapped("name")),
                    target=labels[target],
                    states=", ".join(
                        sorted({labels[s] for s in illegal.mapped("state")})
                    ),
                )
            )
        return moving

    def _message_unknown_state(self, target):
        return self.env._("Unknown state: %(state)s.", state=target)
