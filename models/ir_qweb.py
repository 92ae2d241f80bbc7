from lxml import etree

from odoo import models

# Context key of a {template source: compiled template} dict, for the life
# of one batch of e-mail templates (``_post_template_batch``).
QWEB_BATCH_MEMO_KEY = "intervention_qweb_batch_memo"
# Rendering options that change the compiled code of a raw template.
MEMO_OPTION_KEYS = ["raise_on_forbidden_code_for_model"]


class IrQweb(models.AbstractModel):
    """A raw QWeb template compiled once per batch.

    Odoo renders a mail template's QWeb body (``body_html``) from its source
    for each record (``mail.render.mixin._render_template_qweb`` parses the
    source into a new element, which ``_compile`` never caches): compiling
    took about 18 ms a request, more than half of the reminders' time.
    Under the context key ``QWEB_BATCH_MEMO_KEY`` the compiled code of the
    same source and the same compilation keys (language, options) is
    reused for the batch's other records; the rendering itself still runs
    for each record with its own values."""

    _inherit = "ir.qweb"

    def _compile(self, template):
        memo = self.env.context.get(QWEB_BATCH_MEMO_KEY)
        if memo is None or not isinstance(template, etree._Element):
            return super()._compile(template)
        key = (
            etree.tostring(template),
            tuple(
                self.env.context.get(name) or False
                for name in self._get_template_cache_keys() + MEMO_OPTION_KEYS
            ),
        )
        if key not in memo:
            memo[key] = super()._compile(template)
        return memo[key]
