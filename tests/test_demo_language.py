from lxml import etree

from odoo.modules.module import get_manifest
from odoo.tests import tagged
from odoo.tools.mail import html2plaintext
from odoo.tools.misc import file_path
from odoo.tools.translate import code_translations

from ..models.intervention_demo import DEMO_SOURCES, LOCALIZED_FIELDS
from .common import InterventionCommon


@tagged("post_install", "-at_install")
class TestDemoLanguage(InterventionCommon):
    """A database created in French gets French demo data: the demo steps
    run as Odoo's demo loader runs them (superuser, no language, chatter
    on), after the installation's language was made the administrator's,
    as the set-up's IR_LANG and Odoo's database manager do."""

    def setUp(self):
        super().setUp()
        self.loader_env = self.env(su=True, context={"install_demo": True})
        self.Demo = self.loader_env["intervention.demo"]
        self.request = self._received_request()
        self.request.action_receive()
        self.request.action_qualify()
        self.request.action_start()

    def _install_in(self, lang):
        self.env["res.lang"]._activate_lang(lang)
        self.env.ref("base.user_admin").lang = lang

    def _state_label(self, state, lang):
        Request = self.env["intervention.request"].with_context(lang=lang)
        return dict(Request._fields["state"]._description_selection(Request.env))[state]

    def _text(self, message):
        """A message's text, French non-breaking spaces as spaces."""
        return " ".join(html2plaintext(message.body).split())

    def _give_demo_xmlid(self, record, name):
        self.env["ir.model.data"].create(
            {
                "module": "intervention_request",
                "name": name,
                "model": record._name,
                "res_id": record.id,
            }
        )

    def test_translations_load_before_the_demo_data(self):
        self._install_in("fr_FR")
        # Activating the language loads none of this addon's terms.
        self.assertEqual(self._state_label("in_progress", "fr_FR"), "In Progress")
        self.Demo._prepare_language()
        self.assertEqual(self._state_label("in_progress", "fr_FR"), "En cours")

    def test_demo_step_writes_french_chatter(self):
        self._install_in("fr_FR")
        self.Demo._prepare_language()
        self.Demo._run(
            "intervention.request",
            "action_wait",
            self.request.ids,
            "site_access",
            "Badge du local serveur",
        )
        self.assertEqual(self.request.state, "waiting")
        self.assertEqual(
            self._text(self.request.message_ids[0]),
            "Demande gelée : En attente d'accès au site (Badge du local serveur).",
        )

    def test_english_installation_stays_english(self):
        self.Demo._prepare_language()
        self.Demo._run(
            "intervention.request",
            "action_wait",
            self.request.ids,
            "site_access",
            "Server room badge",
        )
        self.assertEqual(
            self._text(self.request.message_ids[0]),
            "Frozen: Waiting for site access (Server room badge).",
        )

    def test_demo_clients_get_french_mail(self):
        self._install_in("fr_FR")
        self.Demo._prepare_language()
        self._give_demo_xmlid(self.contact, "test_demo_contact")
        other = self.env["res.partner"].create({"name": "Not from the demo"})
        self.Demo._localize_partners()
        self.assertEqual(self.contact.lang, "fr_FR")
        self.assertEqual(other.lang, "en_US")
        request = self._received_request()
        self.Demo._run("intervention.request", "action_receive", request.ids)
        acknowledgement = request.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("mail.mt_comment")
        )
        self.assertEqual(
            acknowledgement.subject,
            f"[{request.name}] Nous avons bien reçu votre demande",
        )

    def test_demo_subjects_and_reasons_in_french(self):
        self._install_in("fr_FR")
        self.Demo._prepare_language()
        self._give_demo_xmlid(self.request, "test_demo_request")
        self.request.summary = "Printer problem"
        self.Demo._localize_texts()
        self.assertEqual(self.request.summary, "Problème d'imprimante")
        self.Demo._run(
            "intervention.request",
            "action_wait",
            self.request.ids,
            "site_access",
            "Waiting for the badge to access the server room",
        )
        self.assertEqual(
            self._text(self.request.message_ids[0]),
            "Demande gelée : En attente d'accès au site "
            "(En attente du badge d'accès à la salle serveur).",
        )

    def test_every_demo_subject_has_a_french_translation(self):
        """The subjects written in the demo files are the listed demo texts
        (else a French database would show them in English)."""
        subjects = set()
        for name in get_manifest("intervention_request")["demo"]:
            tree = etree.parse(file_path(f"intervention_request/{name}"))
            for model_name, field_names in LOCALIZED_FIELDS.items():
                for field_name in field_names:
                    subjects.update(
                        " ".join(node.text.split())
                        for node in tree.xpath(
                            f"//record[@model='{model_name}']"
                            f"/field[@name='{field_name}']"
                        )
                    )
        self.assertGreater(len(subjects), 20)
        self.assertLessEqual(subjects, DEMO_SOURCES)
        french = code_translations.get_python_translations(
            "intervention_request", "fr_FR"
        )
        untranslated = {s for s in DEMO_SOURCES if french.get(s, s) == s}
        self.assertFalse(untranslated)

    def test_demo_records_log_their_creation_in_french(self):
        self._install_in("fr_FR")
        self.Demo._prepare_language()
        self.env = self.loader_env
        request = self._received_request()
        self.assertEqual(
            self._text(request.message_ids[-1]), "Demande d'intervention créée"
        )
