from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import TUESDAY_10H, InterventionCommon


@tagged("post_install", "-at_install")
class TestKnowledge(InterventionCommon):
    """The knowledge base (B6): cause and resolution scenario recorded at
    resolution, similar past resolutions suggested, reused and searched."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Equipment = cls.env["intervention.equipment"]
        cls.printer = Equipment.create(
            {"name": "Laser printer", "partner_id": cls.client.id}
        )
        cls.laptop = Equipment.create({"name": "Laptop", "partner_id": cls.client.id})
        cls.product = cls.env["intervention.product"].create({"name": "GRC"})
        cls.component = cls.env["intervention.component"].create(
            {"name": "Devis-fac", "product_id": cls.product.id}
        )
        cls.other_component = cls.env["intervention.component"].create(
            {"name": "Module congés", "product_id": cls.product.id}
        )

    def _request(self, summary, description="", **values):
        with freeze_time(TUESDAY_10H):
            return self._create_request(
                summary=summary,
                description=f"<p>{description}</p>" if description else False,
                equipment_id=values.pop("equipment_id", self.laptop.id),
                date_received=values.pop("date_received", TUESDAY_10H),
                **values,
            )

    def _resolve(self, request):
        with freeze_time(TUESDAY_10H):
            request.action_receive()
            request.action_qualify()
            request.action_resolve()
        return request

    def _past(self, summary, description="", cause="", resolution="", **values):
        return self._resolve(
            self._request(
                summary,
                description,
                cause=cause or f"Cause of {summary}",
                resolution=f"<p>{resolution or 'Fixed'}</p>",
                **values,
            )
        )

    # ------------------------------------------------------------------
    # Recording at resolution
    # ------------------------------------------------------------------
    def test_incident_needs_cause_and_resolution(self):
        request = self._request("Printer offline", cause=None, resolution=None)
        with freeze_time(TUESDAY_10H):
            request.action_receive()
            request.action_qualify()
            with self.assertRaisesRegex(UserError, "Record the cause"):
                request.action_resolve()
            # Also through a plain write (RPC, import).
            with self.assertRaisesRegex(UserError, request.name):
                request.write({"state": "resolved", "cause": "Cable unplugged"})
            request.write({"cause": "Cable", "resolution": "<p><br></p>"})
            with self.assertRaisesRegex(UserError, "Record the cause"):
                request.action_resolve()
        self.assertEqual(request.state, "qualified")

    def test_resolve_wizard_records_and_resolves(self):
        request = self._request("Printer offline", cause=None, resolution=None)
        with freeze_time(TUESDAY_10H):
            request.action_receive()
            request.action_qualify()
            action = request.action_open_resolve_wizard()
            wizard_form = Form(
                self.env[action["res_model"]].with_context(**action["context"])
            )
            self.assertEqual(wizard_form.request_id, request)
            wizard_form.cause = "Network cable unplugged"
            wizard_form.resolution = "<p>Cable plugged back, test page printed.</p>"
            wizard_form.save().action_confirm()
        self.assertEqual(request.state, "resolved")
        self.assertEqual(request.cause, "Network cable unplugged")
        self.assertIn("test page printed", request.resolution)

    def test_change_request_resolves_without_cause(self):
        request = self._request(
            "Add a field to the quote", kind="change", cause=None, resolution=None
        )
        self._resolve(request)
        self.assertEqual(request.state, "resolved")

    # ------------------------------------------------------------------
    # Suggestions
    # ------------------------------------------------------------------
    def _knowledge(self):
        """Past resolutions, and one new request on the printer, product GRC,
        component Devis-fac, about a paper jam."""
        past = {
            "same_equipment": self._past("Disk full", equipment_id=self.printer.id),
            "same_component": self._past(
                "Module crash",
                product_id=self.product.id,
                component_id=self.component.id,
            ),
            "same_product": self._past(
                "Slow screen",
                product_id=self.product.id,
                component_id=self.other_component.id,
            ),
            "similar_text": self._past(
                "Paper jam in the printers",
                "The tray of the printer is blocked by paper",
                resolution="Remove the jammed sheet, clean the rollers",
            ),
            "one_word": self._past("Error at login", "Password error"),
            "unrelated": self._past("Keyboard broken"),
        }
        past["open"] = self._request(
            "Printer paper jam again", equipment_id=self.printer.id
        )
        new = self._request(
            "Printer paper jam on tray 2",
            "The printer shows a paper error",
            equipment_id=self.printer.id,
            product_id=self.product.id,
            component_id=self.component.id,
            cause=None,
            resolution=None,
        )
        return new, past

    def test_similar_resolutions_ranked(self):
        new, past = self._knowledge()
        # Component 3 + product 2 = 5; equipment 4; product 2; words: printer,
        # paper, tray = 3 (the "open" request is not resolved, "one_word" and
        # "unrelated" share less than two words).
        self.assertEqual(
            new.similar_request_ids.ids,
            [
                past["same_component"].id,
                past["same_equipment"].id,
                past["similar_text"].id,
                past["same_product"].id,
            ],
        )
        self.assertEqual(new.similar_count, 4)

    def test_suggestions_for_a_new_unsaved_request(self):
        _new, past = self._knowledge()
        form = Form(self.env["intervention.request"].with_user(self.user))
        form.requester_id = self.contact
        form.summary = "Paper jam"
        form.description = "<p>Jammed tray, printer stopped</p>"
        self.assertEqual(form.similar_request_ids.ids, [past["similar_text"].id])
        form.equipment_id = self.printer
        self.assertEqual(
            set(form.similar_request_ids.ids),
            {past["same_equipment"].id, past["similar_text"].id},
        )

    def test_use_this_resolution(self):
        new, past = self._knowledge()
        source = past["similar_text"]
        source.with_user(self.user).with_context(
            intervention_target_request_id=new.id
        ).action_use_resolution()
        self.assertEqual(new.cause, source.cause)
        self.assertEqual(new.resolution, source.resolution)
        self.assertIn(source.name, new.message_ids[0].body)
        with self.assertRaisesRegex(UserError, "Open the request"):
            source.action_use_resolution()
        with self.assertRaisesRegex(UserError, "finished"):
            source.with_context(
                intervention_target_request_id=past["unrelated"].id
            ).action_use_resolution()

    def test_smart_button_lists_the_suggestions(self):
        new, _past = self._knowledge()
        action = new.action_view_similar_resolutions()
        found = self.env["intervention.request"].search(action["domain"])
        self.assertEqual(found, new.similar_request_ids)
        self.assertEqual(action["context"]["intervention_target_request_id"], new.id)

    # ------------------------------------------------------------------
    # Search
    # ------------------------------------------------------------------
    def test_knowledge_base_search(self):
        _new, past = self._knowledge()
        Request = self.env["intervention.request"].with_user(self.user)
        knowledge = Request._knowledge_domain()

        def search(text):
            return Request.search([*knowledge, ("knowledge_text", "ilike", text)])

        # Words anywhere (subject, description, cause, resolution), in any
        # order, by prefix, case and HTML insensitive; every word must match.
        self.assertEqual(search("printer PAPER"), past["similar_text"])
        self.assertEqual(search("roller"), past["similar_text"])
        self.assertEqual(search("cause keyboard"), past["unrelated"])
        self.assertFalse(search("printer keyboard"))
        # The open request is not in the knowledge base.
        self.assertNotIn(past["open"], search("jam"))
        self.assertEqual(len(Request.search(knowledge)), 6)
