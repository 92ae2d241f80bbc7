from odoo import api, models
from odoo.tools.translate import LazyTranslate, code_translations

_lt = LazyTranslate(__name__)

MODULE = "intervention_request"

# The demo's free texts: subjects of its requests and to-dos, and the
# reasons its lifecycle steps give (chatter). The data files hold them in
# English; listed here, they are in the translation template, and the demo
# writes them in the installation's language (``_localize_texts``, ``_run``).
# tests/test_demo_language.py checks that every subject of the demo files is
# listed.
DEMO_TEXTS = (
    # Requests
    _lt("Server room access: file server HZ-SRV-01 down"),
    _lt("Warehouse Wi-Fi down: barcode scanners disconnected"),
    _lt("Outlook keeps asking for the password"),
    _lt("Accounting software very slow after the update"),
    _lt("Printer problem"),
    _lt("Accounting software slow (second call)"),
    _lt("Weighbridge PC does not start"),
    _lt("Boiler stopped, no hot water"),
    _lt("Thermostat display blank"),
    _lt("Laser printer out of order: paper jam error 13.A"),
    _lt("Cannot export the project timesheet"),
    _lt("Training for two new project managers"),
    _lt("Invoice export to accounting fails with error 500"),
    _lt("Cannot log into CERFRANCE Connect"),
    _lt("Allow half-day leave requests in Module congés"),
    _lt("Quotes print a wrong VAT rate"),
    _lt("Laser printer: 13.A paper jam error, no paper stuck"),
    _lt("Outlook asks for the password after the password change"),
    _lt("Devis-fac: quote totals rounded wrongly"),
    _lt("File server: shared drive full"),
    _lt("AgriCompta: year-end closing very slow"),
    _lt("Boiler in safety mode, fault F28"),
    _lt("Head office switch drops the accounting floor"),
    _lt("Label printer prints blank labels"),
    # To-dos
    _lt("Call the client back about the server room badge"),
    _lt("Check the database indexes after the update"),
    _lt("Bring two spare access points"),
    _lt("Reproduce the VAT rounding on the test base"),
    # Reasons given by the lifecycle steps
    _lt(
        "No on-call subscription: the client was invited to open a request on "
        "the next working day."
    ),
    _lt("Same issue as the portal request of the accountant."),
    _lt(
        "Session rejected by the authentication server for the Riom agency "
        "only: needs the technical team."
    ),
    _lt(
        "Support is open to trained administrators only: the request must go "
        "through Lucie Garnier."
    ),
    _lt("The thermostat batteries were flat: no fault on the installation."),
    _lt("Waiting for the badge to access the server room"),
)
DEMO_SOURCES = frozenset(text._source for text in DEMO_TEXTS)

# The fields of the demo records that hold those texts.
LOCALIZED_FIELDS = {
    "intervention.request": ["summary"],
    "mail.activity": ["summary"],
}


class InterventionDemo(models.AbstractModel):
    """Demo data in the language of the installation.

    Odoo loads an addon's demo data with no language in the context and
    loads the addon's translations only after its demo data: chatter notes,
    tracked state labels and the e-mails the demo's lifecycle writes would
    stay in English in a French database. The demo files call these helpers
    instead: ``_prepare_language`` first loads the addon's translations of
    the demo language, ``_run`` runs each demo step in that language,
    ``_localize_partners`` makes the demo's clients speak it (the e-mail
    templates render in the recipient's language) and ``_localize_texts``
    writes the subjects of the demo's requests and to-dos in it."""

    _name = "intervention.demo"
    _description = "Intervention Demo Data Loader"

    @api.model
    def _demo_lang(self):
        """The installation's language: the administrator's, when active
        (the set-up's ``IR_LANG``, or the language chosen when the database
        was created from the database manager); else English."""
        admin = self.env.ref("base.user_admin", raise_if_not_found=False)
        lang = admin.sudo().lang if admin else False
        if lang and lang != "en_US" and self.env["res.lang"]._get_data(code=lang):
            return lang
        return "en_US"

    @api.model
    def _prepare_language(self):
        """Load this addon's translations of the demo language before its
        demo data (Odoo loads them again, with the demo records' terms,
        once the demo is in)."""
        lang = self._demo_lang()
        if lang != "en_US":
            self.env["ir.module.module"]._load_module_terms([MODULE], [lang])
            # The translated field and selection labels are cached apart
            # (ir.model.fields._get_fields_cached, "stable" cache).
            self.env.registry.clear_cache("stable")
        return True

    @api.model
    def _run(self, model_name, method, ids, *args):
        """Call ``method`` on the ``model_name`` records ``ids`` with the
        demo language in the context (server-side demo files only: the
        method is private)."""
        records = self.env[model_name].with_context(lang=self._demo_lang()).browse(ids)
        result = getattr(records, method)(*(self._translate(arg) for arg in args))
        # Odoo writes the tracked changes when the transaction commits, in
        # the language of the first tracked write: write them now, in this
        # step's language, one note per step as a user's clicks leave.
        records.env.flush_all()
        records.env.cr.precommit.run()
        return result

    @api.model
    def _translate(self, text):
        """``text`` in the demo language when it is one of the demo's texts;
        anything else as it is."""
        lang = self._demo_lang()
        if lang == "en_US" or not isinstance(text, str) or text not in DEMO_SOURCES:
            return text
        return code_translations.get_python_translations(MODULE, lang).get(text, text)

    @api.model
    def _localize_texts(self):
        """Write the subjects of the demo records loaded so far in the demo
        language (before their lifecycle steps, whose e-mails quote them)."""
        if self._demo_lang() == "en_US":
            return True
        for model_name, field_names in LOCALIZED_FIELDS.items():
            res_ids = (
                self.env["ir.model.data"]
                .search([("module", "=", MODULE), ("model", "=", model_name)])
                .mapped("res_id")
            )
            for record in self.env[model_name].browse(res_ids):
                values = {
                    name: self._translate(record[name])
                    for name in field_names
                    if self._translate(record[name]) != record[name]
                }
                if values:
                    record.write(values)
        return True

    @api.model
    def _localize_partners(self):
        """The demo's clients and contacts speak the demo language."""
        lang = self._demo_lang()
        if lang == "en_US":
            return True
        partner_ids = (
            self.env["ir.model.data"]
            .search([("module", "=", MODULE), ("model", "=", "res.partner")])
            .mapped("res_id")
        )
        self.env["res.partner"].browse(partner_ids).write({"lang": lang})
        return True
