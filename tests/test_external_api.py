import ast
import inspect
import textwrap
from datetime import date, timedelta
from xmlrpc.client import Fault

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import InterventionCommon

# Fault code of a UserError / ValidationError over XML-RPC: a message for the
# user. A traceback comes back with code 1 instead.
CLEAR_ERROR = 2
ADDON_MODULE = "odoo.addons.intervention_request."
TOMORROW = fields.Datetime.now() + timedelta(days=1)


def _returns_a_value(function):
    """Whether no path of ``function`` ends without a value: its body ends
    with ``return <value>`` or ``raise``, and no ``return`` is bare or
    ``return None``. (A method returning the result of another call is
    checked by the real calls below.)"""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    node = tree.body[0]
    for sub in ast.walk(node):
        if isinstance(sub, ast.Return) and (
            sub.value is None
            or (isinstance(sub.value, ast.Constant) and sub.value.value is None)
        ):
            return False
    return isinstance(node.body[-1], (ast.Return, ast.Raise))


@tagged("post_install", "-at_install")
class TestExternalApi(InterventionCommon, HttpCase):
    """The external API as an integration would use it: XML-RPC calls to
    /xmlrpc/2/object as a support manager. Bad values get a clear error
    (a UserError or ValidationError, fault code 2, never a traceback) and
    store nothing; every public action_* method returns a value XML-RPC can
    send (True or an action), not None."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rpc_user = new_test_user(
            cls.env,
            login="ir_rpc",
            password="ir_rpc_password",
            groups="intervention_request.group_intervention_manager,"
            "intervention_request.group_intervention_finance",
            name="Integration",
        )
        cls.client_b = cls.env["res.partner"].create(
            {"name": "Boulangerie Dupont", "is_company": True}
        )
        cls.site_b = cls.env["res.partner"].create(
            {"name": "Dupont Vichy", "parent_id": cls.client_b.id, "type": "other"}
        )
        cls.equipment_b = cls.env["intervention.equipment"].create(
            {"name": "Oven controller", "partner_id": cls.client_b.id}
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _rpc(self, model, method, args, kwargs=None):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            self.rpc_user.id,
            "ir_rpc_password",
            model,
            method,
            args,
            kwargs or {},
        )

    def _request_in(self, *steps, **values):
        request = self._create_request(**values)
        for step in steps:
            getattr(request, step)()
        return request

    # ------------------------------------------------------------------
    # Bad input
    # ------------------------------------------------------------------
    def _bad_inputs(self):
        """(label, model, method, args, kwargs, expected message, record to
        check unchanged): what a careless or hostile integration sends."""
        received = self._request_in("action_receive")
        received.terms_description = "<p>Two hours at the hourly rate.</p>"
        qualified = self._request_in("action_receive", "action_qualify")
        new = self._create_request()
        contract = self.contract
        R, C = "intervention.request", "intervention.contract"
        T = "intervention.time.entry"
        B = "intervention.request.charge"
        charge_vals = {
            "request_id": received.id,
            "cause": "abnormal_use",
            "reason": "Cable cut by the client",
        }
        stamped = [
            "date_acknowledged",
            "date_qualified",
            "date_onsite_assigned",
            "date_workaround",
            "date_resolved",
            "date_reopened",
            "date_closed",
        ]
        lifecycle = "set by the request's lifecycle"
        cases = [
            (
                f"write {fname}",
                R,
                "write",
                [[qualified.id], {fname: "2026-03-11"}],
                {},
                lifecycle,
                qualified,
            )
            for fname in stamped
        ]
        cases += [
            (
                f"future {fname}",
                R,
                "write",
                [[received.id], {fname: fields.Datetime.to_string(TOMORROW)}],
                {},
                lifecycle,
                received,
            )
            for fname in ("date_resolved", "date_closed")
        ]
        request_vals = {
            "requester_id": self.contact.id,
            "summary": "From the API",
            "date_received": "2026-03-10 10:00:00",
        }
        cases += [
            (
                "create with date_resolved",
                R,
                "create",
                [{**request_vals, "date_resolved": "2026-03-11 10:00:00"}],
                {},
                lifecycle,
                None,
            ),
            (
                "create as closed",
                R,
                "create",
                [{**request_vals, "state": "closed"}],
                {},
                "created as New",
                None,
            ),
            (
                "reception not a date",
                R,
                "write",
                [[new.id], {"date_received": "next Tuesday"}],
                {},
                "not a reception date",
                new,
            ),
            (
                "create received tomorrow",
                R,
                "create",
                [
                    {
                        **request_vals,
                        "date_received": fields.Datetime.to_string(TOMORROW),
                    }
                ],
                {},
                "cannot be received in the future",
                None,
            ),
            (
                "reception tomorrow",
                R,
                "write",
                [[new.id], {"date_received": fields.Datetime.to_string(TOMORROW)}],
                {},
                "cannot be received in the future",
                new,
            ),
            (
                # The after-hours report's marker is an object: a context
                # flag sent over RPC does not open the exception.
                "reception tomorrow, forged after-hours context",
                R,
                "write",
                [[new.id], {"date_received": fields.Datetime.to_string(TOMORROW)}],
                {"context": {"intervention_oncall_reception": True}},
                "cannot be received in the future",
                new,
            ),
            (
                # Backdating history is for data loading (superuser) only: the
                # context key sent over RPC does not open it.
                "write date_resolved, forged history-import context",
                R,
                "write",
                [[qualified.id], {"date_resolved": "2026-03-11"}],
                {"context": {"intervention_history_import": True}},
                lifecycle,
                qualified,
            ),
            (
                "cancel with unknown reason",
                R,
                "action_cancel",
                [[new.id], "bored"],
                {},
                "not a reason to cancel",
                new,
            ),
            (
                "cancel with a number",
                R,
                "action_cancel",
                [[new.id], 42],
                {},
                "not a reason to cancel",
                new,
            ),
            (
                "cancel with no reason",
                R,
                "action_cancel",
                [[new.id], False],
                {},
                "Give a reason",
                new,
            ),
            (
                "write cancelled, unknown reason",
                R,
                "write",
                [[new.id], {"state": "cancelled", "cancel_reason": "bored"}],
                {},
                "not a reason to cancel",
                new,
            ),
            (
                "reject as duplicate",
                R,
                "action_reject",
                [[new.id], "duplicate"],
                {},
                "can be rejected only",
                new,
            ),
            (
                "wait with unknown reason",
                R,
                "action_wait",
                [[qualified.id], "holidays"],
                {},
                "not a reason to wait",
                qualified,
            ),
            (
                "wait out of hours",
                R,
                "action_wait",
                [[qualified.id], "out_of_hours"],
                {},
                "not a reason to wait",
                qualified,
            ),
            (
                "skip to resolved",
                R,
                "write",
                [[new.id], {"state": "resolved"}],
                {},
                "cannot move",
                new,
            ),
            (
                "unknown state",
                R,
                "write",
                [[new.id], {"state": "archived"}],
                {},
                "Unknown request state",
                new,
            ),
            (
                "on site, unknown technician",
                R,
                "action_assign_onsite",
                [[qualified.id], 999999],
                {},
                "Choose one user",
                qualified,
            ),
            (
                "on site, technician as text",
                R,
                "action_assign_onsite",
                [[qualified.id], "Bob"],
                {},
                "Choose one user",
                qualified,
            ),
            (
                "site of another client",
                R,
                "write",
                [[new.id], {"site_id": self.site_b.id}],
                {},
                "not an address",
                new,
            ),
            (
                "equipment of another client",
                R,
                "write",
                [[new.id], {"equipment_id": self.equipment_b.id}],
                {},
                "not an asset",
                new,
            ),
            (
                "terms by fax",
                R,
                "action_accept_terms",
                [[received.id], "fax"],
                {},
                "Unknown acceptance channel",
                received,
            ),
            (
                "terms by unknown contact",
                R,
                "action_accept_terms",
                [[received.id], "staff", 999999],
                {},
                "Choose the contact",
                received,
            ),
            (
                "negative hourly rate",
                C,
                "write",
                [[contract.id], {"hourly_rate": -80.0}],
                {},
                "cannot be negative",
                contract,
            ),
            (
                "negative time unit rate",
                C,
                "write",
                [[contract.id], {"time_unit_rate": -40.0}],
                {},
                "cannot be negative",
                contract,
            ),
            (
                "negative on-call rate",
                C,
                "write",
                [[contract.id], {"oncall_hourly_rate": -1.0}],
                {},
                "cannot be negative",
                contract,
            ),
            (
                "time unit of 0 minutes",
                C,
                "write",
                [[contract.id], {"time_unit_minutes": 0}],
                {},
                "at least one minute",
                contract,
            ),
            (
                "negative time unit",
                C,
                "write",
                [[contract.id], {"time_unit_minutes": -30}],
                {},
                "at least one minute",
                contract,
            ),
            (
                "active contract back to draft",
                C,
                "write",
                [[contract.id], {"state": "draft"}],
                {},
                "cannot move",
                contract,
            ),
            (
                "expire a running contract",
                C,
                "write",
                [[contract.id], {"state": "expired"}],
                {},
                "end date has not come",
                contract,
            ),
            (
                "unknown contract state",
                C,
                "write",
                [[contract.id], {"state": "paused"}],
                {},
                "Unknown contract state",
                contract,
            ),
            (
                "create an active contract",
                C,
                "create",
                [
                    {
                        "partner_id": self.client.id,
                        "state": "active",
                        "resource_calendar_id": self.calendar_business.id,
                    }
                ],
                {},
                "created as Draft",
                None,
            ),
            (
                "activate an active contract",
                C,
                "action_activate",
                [[contract.id]],
                {},
                "Only draft",
                contract,
            ),
            (
                "negative duration",
                T,
                "create",
                [{"request_id": received.id, "duration": -2.0}],
                {},
                "more than zero hours",
                None,
            ),
            (
                "zero duration",
                T,
                "create",
                [{"request_id": received.id, "duration": 0.0}],
                {},
                "more than zero hours",
                None,
            ),
            (
                "negative price",
                T,
                "create",
                [{"request_id": received.id, "duration": 1.0, "price_unit": -5.0}],
                {},
                "cannot be negative",
                None,
            ),
            (
                "billable cause, negative quantity",
                B,
                "create",
                [{**charge_vals, "quantity": -1.0}],
                {},
                "cannot be negative",
                None,
            ),
            (
                "billable cause, negative price",
                B,
                "create",
                [{**charge_vals, "quantity": 1.0, "price_unit": -60.0}],
                {},
                "cannot be negative",
                None,
            ),
        ]
        return cases

    def test_bad_input_gets_a_clear_error_and_stores_nothing(self):
        cases = self._bad_inputs()
        # The figure quoted in the README ("Bad input through the external API").
        self.assertEqual(len(cases), 46)
        for label, model, method, args, kwargs, message, record in cases:
            with self.subTest(label):
                before = record and record.read()[0]
                count = self.env[model].search_count([])
                with self.assertRaises(Fault) as caught:
                    self._rpc(model, method, args, kwargs)
                fault = caught.exception
                self.assertEqual(
                    fault.faultCode, CLEAR_ERROR, f"traceback: {fault.faultString}"
                )
                self.assertIn(message, fault.faultString)
                self.env.invalidate_all()
                self.assertEqual(self.env[model].search_count([]), count)
                if record:
                    self.assertEqual(record.read()[0], before, "nothing stored")

    # ------------------------------------------------------------------
    # Return values of the action_* methods
    # ------------------------------------------------------------------
    def _addon_actions(self):
        """{(model, method): function} of every public action_* method the
        addon defines on any model or wizard."""
        found = {}
        for model_name in self.env.registry:
            if self.env[model_name]._abstract:
                # The request's concern mixins: their actions are the request's.
                continue
            cls = type(self.env[model_name])
            for name in dir(cls):
                if not name.startswith("action_"):
                    continue
                function = getattr(cls, name, None)
                module = getattr(function, "__module__", "") or ""
                if callable(function) and module.startswith(ADDON_MODULE):
                    found[model_name, name] = function
        return found

    def test_every_public_action_returns_a_value(self):
        """Every action_* method of the addon (models and wizards) ends with
        a value on every path; those that return what another method
        returns are called for real below."""
        actions = self._addon_actions()
        self.assertGreaterEqual(len(actions), 50)
        falls_through = sorted(
            f"{model}.{name}"
            for (model, name), function in actions.items()
            if not _returns_a_value(function)
        )
        self.assertEqual(falls_through, [], "these may return None")
        log_attempt = type(self.env["intervention.oncall.call"])._log_attempt
        self.assertTrue(_returns_a_value(log_attempt))

    def _action_calls(self):
        """(model, method, ids, args, kwargs) of real calls, each on a record
        in a state where the action succeeds."""
        R = "intervention.request"
        received = self._request_in
        qualified = ("action_receive", "action_qualify")
        resolved = (*qualified, "action_resolve")
        contract_draft = self._create_contract(self.client, activate=False)
        contract_ended = self._create_contract(
            self.client, activate=False, date_end=date(2026, 2, 28)
        )
        contract_ended.action_activate()
        contract_ended.action_terminate()
        onsite = self._request_in(*qualified)
        onsite.action_assign_onsite(self.technician)
        waiting = self._request_in(*qualified)
        waiting.action_wait("client_info")
        past = self._request_in(*resolved)
        target = self._request_in(*qualified)
        incomplete = self._request_in("action_receive", site_id=None)
        terms = self._request_in("action_receive")
        terms.terms_description = "<p>Two hours of work at the hourly rate.</p>"
        wizard_context = {"active_model": R}
        team = self.env["intervention.team"].create({"name": "Hotline"})
        calls = [
            (R, "action_receive", self._create_request(), [], {}),
            (R, "action_qualify", received("action_receive"), [], {}),
            (R, "action_start", received(*qualified), [], {}),
            (R, "action_assign_onsite", received(*qualified), [self.technician.id], {}),
            (R, "action_wait", received(*qualified), ["client_tests", "Test"], {}),
            (R, "action_resume", waiting, [], {}),
            (R, "action_workaround", received(*qualified), [], {}),
            (R, "action_resolve", received(*qualified), [], {}),
            (R, "action_close", received(*resolved), [], {}),
            (R, "action_reopen", received(*resolved), [], {}),
            (R, "action_cancel", self._create_request(), ["withdrawn"], {}),
            (R, "action_reject", self._create_request(), ["out_of_scope"], {}),
            (R, "action_request_missing_info", incomplete, [], {}),
            (R, "action_check_coverage", self._create_request(), [], {}),
            (R, "action_onsite_arrival", onsite, [], {}),
            (R, "action_open_wait_wizard", target, [], {}),
            (R, "action_open_cancel_wizard", target, [], {}),
            (R, "action_open_route_wizard", target, [], {}),
            (R, "action_open_resolve_wizard", target, [], {}),
            (R, "action_open_charge_wizard", target, [], {}),
            (R, "action_open_terms_wizard", target, [], {}),
            (R, "action_accept_terms", terms, ["staff", self.contact.id, "Phone"], {}),
            (R, "action_view_similar_resolutions", target, [], {}),
            (R, "action_view_invoices", target, [], {}),
            (R, "action_open_ratings", past, [], {}),
            ("intervention.team", "action_open_ratings", team, [], {}),
            (
                R,
                "action_use_resolution",
                past,
                [],
                {"context": {"intervention_target_request_id": target.id}},
            ),
            ("intervention.contract", "action_activate", contract_draft, [], {}),
            ("intervention.contract", "action_terminate", self.contract, [], {}),
            ("intervention.contract", "action_reset_draft", contract_ended, [], {}),
            ("intervention.contract", "action_view_requests", self.contract, [], {}),
            (
                "intervention.contract",
                "action_view_compliance_statements",
                self.contract,
                [],
                {},
            ),
        ]
        wizards = [
            (
                "intervention.request.wait.wizard",
                {
                    "request_ids": [(6, 0, received(*qualified).ids)],
                    "reason": "client_info",
                },
            ),
            (
                "intervention.request.cancel.wizard",
                {
                    "request_ids": [(6, 0, self._create_request().ids)],
                    "reason": "duplicate",
                },
            ),
            (
                "intervention.request.route.wizard",
                {
                    "request_ids": [(6, 0, received(*qualified).ids)],
                    "kind": "escalation",
                    "support_level": "n2",
                    "reason": "Needs N2",
                },
            ),
            (
                "intervention.request.resolve.wizard",
                {
                    "request_id": received(*qualified).id,
                    "cause": "Worn disk",
                    "resolution": "<p>Disk replaced.</p>",
                },
            ),
            (
                "intervention.request.charge.wizard",
                {
                    "request_id": received("action_receive").id,
                    "cause": "abnormal_use",
                    "reason": "Cable cut by the client",
                },
            ),
        ]
        for model, vals in wizards:
            wizard_id = self._rpc(model, "create", [vals], {"context": wizard_context})
            calls.append(
                (model, "action_confirm", self.env[model].browse(wizard_id), [], {})
            )
        return calls

    def test_actions_over_xmlrpc_return_true_or_an_action(self):
        """Real calls through /xmlrpc/2/object: a None result would be a
        'cannot marshal None' fault after the change was committed."""
        calls = self._action_calls()
        # The figure quoted in the README ("Bad input through the external API").
        self.assertEqual(len(calls), 37)
        for model, method, record, args, kwargs in calls:
            with self.subTest(f"{model}.{method}"):
                try:
                    result = self._rpc(model, method, [record.ids, *args], kwargs)
                except Fault as fault:
                    self.fail(f"{model}.{method}: {fault.faultString[-500:]}")
                self.assertTrue(
                    result is True or (isinstance(result, dict) and result.get("type")),
                    f"{model}.{method} returned {result!r}",
                )
        # Every action whose value comes from another call is called for
        # real here; the others are proven by test_every_public_action_...
        called = {(model, method) for model, method, *_rest in calls}
        delegating = {
            key
            for key, function in self._addon_actions().items()
            if _returns_other_call(function)
        }
        self.assertFalse(
            delegating - called - DELEGATING_CHECKED_ELSEWHERE,
            "call these for real here",
        )


def _returns_other_call(function):
    """Whether ``function`` returns the value of a call or of a variable
    (which the static check cannot prove not None)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    return any(
        isinstance(sub, ast.Return) and isinstance(sub.value, (ast.Call, ast.Name))
        for sub in ast.walk(tree.body[0])
    )


# Actions whose value comes from another call but that need the on-call or
# accounting set-ups of other test classes, so are not called here: the
# call-log buttons return ``self._log_attempt(...)`` (checked statically in
# test_every_public_action_returns_a_value), the others an action read by
# ``_for_xml_id``. The scope extension wizard's Apply is asserted through its
# form in test_contract_extension (it returns True or the new contract's
# form), the statement's credit note in test_compliance_statement (finance
# set-up; it returns the credit note's form).
DELEGATING_CHECKED_ELSEWHERE = {
    ("intervention.contract.extend.wizard", "action_apply"),
    ("intervention.compliance.statement", "action_create_credit_note"),
    ("intervention.oncall.call", "action_log_reached"),
    ("intervention.oncall.call", "action_log_voicemail"),
    ("intervention.oncall.call", "action_log_no_answer"),
    ("intervention.agency", "action_view_gaps"),
    ("account.move", "action_view_intervention_requests"),
    ("intervention.invoice.wizard", "action_create_invoices"),
}
