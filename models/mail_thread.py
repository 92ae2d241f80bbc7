import logging

from odoo import api, models

_logger = logging.getLogger(__name__)

# Headers by which mail systems mark automatic answers (out-of-office,
# vacation notices, autoresponders): RFC 3834 ``Auto-Submitted`` and the
# common non-standard ones.
AUTO_REPLY_PRECEDENCES = {"auto_reply", "bulk", "junk"}


class MailThread(models.AbstractModel):
    """Loop protection for the intervention mailboxes.

    Odoo's gateway already drops bounces (``_detect_is_bounce`` then
    ``_routing_handle_bounce``: no route) and floods from one sender
    (``_detect_loop_sender``), but routes automatic answers like any e-mail.
    An out-of-office answering our acknowledgement would thread onto the
    request as the client's answer, resume it and restart its reminders, or
    open a new request that is acknowledged in turn. Automatic answers
    routed to intervention requests are therefore ignored: they create
    nothing and trigger nothing.

    Also: the creation note of the demo's records in the installation's
    language.
    """

    _inherit = "mail.thread"

    def _in_demo_language(self):
        """The demo's records, created by the data files with no language in
        the context, in the installation's language (intervention.demo);
        any other record as it is."""
        if (
            self.env.context.get("install_demo")
            and not self.env.lang
            and self._name.startswith("intervention.")
        ):
            lang = self.env["intervention.demo"]._demo_lang()
            if lang != "en_US":
                return self.with_context(lang=lang)
        return self

    def _creation_message(self):
        """The demo's records log their creation in the installation's
        language."""
        return super(MailThread, self._in_demo_language())._creation_message()

    @api.model
    def _detect_loop_sender(self, message, message_dict, routes):
        targets_requests = any(
            route[0] == "intervention.request" for route in routes or ()
        )
        if targets_requests and self._intervention_is_auto_reply(message):
            _logger.info(
                "Ignored automatic answer from %s to %s with Message-Id %s "
                "(intervention requests)",
                message_dict.get("email_from"),
                message_dict.get("to"),
                message_dict.get("message_id"),
            )
            return True
        return super()._detect_loop_sender(message, message_dict, routes)

    @api.model
    def _intervention_is_auto_reply(self, message):
        """True when the e-mail's headers mark it as sent automatically."""
        auto_submitted = (message.get("Auto-Submitted") or "").strip().lower()
        if auto_submitted and auto_submitted != "no":
            return True
        if message.get("X-Autoreply") or message.get("X-Autorespond"):
            return True
        precedence = (message.get("Precedence") or "").strip().lower()
        return precedence in AUTO_REPLY_PRECEDENCES
