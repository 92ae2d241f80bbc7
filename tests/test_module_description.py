from docutils import nodes
from docutils.core import publish_doctree

from odoo.tests import TransactionCase, tagged
from odoo.tools import file_open


@tagged("post_install", "-at_install")
class TestModuleDescription(TransactionCase):
    """The Apps page of the addon: Odoo shows static/description/index.html
    and keeps README.rst (not the Markdown manual, which docutils cannot
    read) as the module's description, without docutils errors."""

    def setUp(self):
        super().setUp()
        self.module = self.env["ir.module.module"].search(
            [("name", "=", "intervention_request")]
        )

    def test_apps_page_shows_the_description(self):
        page = self.module.description_html
        self.assertIn("Technical intervention requests", page)
        self.assertIn("Configuration", page)
        self.assertIn("Intervention Request developers", page)
        self.assertNotIn("System Message", page)
        self.assertNotIn("Docutils", page)

    def test_readme_rst_is_the_description_and_parses_cleanly(self):
        with file_open("intervention_request/README.rst") as readme:
            text = readme.read()
        self.assertEqual(self.module.description.strip(), text.strip())
        doctree = publish_doctree(
            text,
            settings_overrides={
                "report_level": 5,
                "file_insertion_enabled": False,
            },
        )
        messages = [node.astext() for node in doctree.findall(nodes.system_message)]
        self.assertEqual(messages, [])

    def test_manifest_of_this_project(self):
        self.assertEqual(self.module.author, "Intervention Request developers")
        self.assertNotIn("OCA", self.module.website or "")
