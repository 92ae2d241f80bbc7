import re

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, html2plaintext

from .request_lifecycle import DONE_STATES, SOLVED_STATES

# Past requests suggested on a request, best first.
SIMILAR_LIMIT = 5
# Points of each shared trait in the similarity score (plus 1 per shared word).
SIMILAR_WEIGHTS = {"equipment_id": 4, "component_id": 3, "product_id": 2}
# Words a text match needs in common, when the request has that many words.
MIN_SHARED_WORDS = 2
# Words read from a request's text for the comparison.
MAX_WORDS = 20
# The text compared and searched: an immutable expression, so that the GIN
# index below serves the queries that repeat it.
KNOWLEDGE_DOCUMENT = SQL(
    "to_tsvector('simple'::regconfig, coalesce(r.summary, '') || ' ' || "
    "coalesce(r.description, '') || ' ' || coalesce(r.circumstances, '') || ' ' "
    "|| coalesce(r.cause, ''))"
)
STOP_WORDS = frozenset(
    {
        "avec",
        "dans",
        "depuis",
        "elle",
        "elles",
        "être",
        "leur",
        "leurs",
        "mais",
        "nous",
        "pour",
        "plus",
        "sans",
        "sont",
        "tout",
        "tous",
        "très",
        "vous",
        "cette",
        "ceci",
        "cela",
        "comme",
        "aussi",
        "alors",
        "après",
        "avant",
        "chez",
        "encore",
        "entre",
        "fait",
        "faire",
        "même",
        "peut",
        "quand",
        "quel",
        "quelle",
        "sous",
        "votre",
        "notre",
        "about",
        "after",
        "also",
        "been",
        "before",
        "does",
        "from",
        "have",
        "into",
        "just",
        "more",
        "only",
        "over",
        "same",
        "some",
        "such",
        "than",
        "that",
        "them",
        "then",
        "there",
        "they",
        "this",
        "what",
        "when",
        "which",
        "while",
        "with",
        "would",
        "your",
        "could",
        "should",
        "cannot",
        "still",
        "since",
    }
)


class InterventionRequestKnowledgeMixin(models.AbstractModel):
    """The knowledge base (B6): the cause and the resolution scenario recorded
    when an incident is resolved, and past resolutions suggested for similar
    requests (same equipment, component or product, or shared words).

    The knowledge base is the set of resolved and closed requests with a
    resolution: no separate article model, so an entry can never disagree
    with the request it comes from.
    """

    _name = "intervention.request.knowledge.mixin"
    _description = "Request Knowledge Base"

    cause = fields.Text(
        tracking=True,
        copy=False,
        help="Root cause of the malfunction, found at diagnosis.",
    )
    resolution = fields.Html(
        string="Resolution Scenario",
        copy=False,
        help="The steps that fixed the malfunction, reusable for similar requests.",
    )
    similar_request_ids = fields.Many2many(
        "intervention.request",
        string="Similar Resolutions",
        compute="_compute_similar_request_ids",
        help="Resolved requests on the same equipment, component or product, or "
        "sharing words with this one, best first.",
    )
    similar_count = fields.Integer(compute="_compute_similar_request_ids")
    knowledge_text = fields.Char(
        string="Text",
        compute="_compute_knowledge_text",
        search="_search_knowledge_text",
        help="Words searched in the subject, description, circumstances, cause and "
        "resolution.",
    )

    _knowledge_document_idx = models.Index(
        "USING gin (to_tsvector('simple'::regconfig, coalesce(summary, '') || ' ' || "
        "coalesce(description, '') || ' ' || coalesce(circumstances, '') || ' ' || "
        "coalesce(cause, ''))) WHERE state IN ('resolved', 'closed')"
    )

    # ------------------------------------------------------------------
    # Recording at resolution
    # ------------------------------------------------------------------
    def _check_transition_requirements(self, target, vals):
        result = super()._check_transition_requirements(target, vals)
        if target == "resolved":
            self._check_resolution_recorded(vals)
        return result

    def _check_resolution_recorded(self, vals):
        """An incident is resolved with its cause and resolution scenario
        (B6); change requests need neither."""
        self.ensure_one()
        if self.kind != "incident":
            return
        cause = vals.get("cause", self.cause)
        resolution = vals.get("resolution", self.resolution)
        if not (cause or "").strip() or not html2plaintext(resolution or "").strip():
            raise UserError(
                self.env._(
                    "Record the cause and the resolution scenario of %(request)s "
                    "before resolving it.",
                    request=self.name,
                )
            )

    def action_open_resolve_wizard(self):
        return self._open_wizard(
            "intervention.request.resolve.wizard", self.env._("Resolve")
        )

    def action_use_resolution(self):
        """Copy this past request's cause and resolution onto the request
        named in the context (the "Use" button of the suggestions)."""
        self.ensure_one()
        target = self.browse(self.env.context.get("intervention_target_request_id"))
        if not target.exists() or target == self:
            raise UserError(
                self.env._("Open the request that should reuse this resolution.")
            )
        target._use_resolution_of(self)
        return True

    def _use_resolution_of(self, source):
        self.ensure_one()
        if self.state in DONE_STATES:
            raise UserError(
                self.env._(
                    "%(request)s is finished: its resolution can no longer change.",
                    request=self.name,
                )
            )
        self.write({"cause": source.cause, "resolution": source.resolution})
        self.message_post(
            body=self.env._(
                "Resolution taken from %(origin)s.", origin=source.display_name
            ),
            subtype_xmlid="mail.mt_note",
        )

    # ------------------------------------------------------------------
    # Suggestions
    # ------------------------------------------------------------------
    @api.model
    def _knowledge_domain(self):
        """The requests that make up the knowledge base."""
        return [
            ("state", "in", SOLVED_STATES),
            ("resolution", "!=", False),
        ]

    @api.depends("equipment_id", "component_id", "product_id", "summary", "description")
    def _compute_similar_request_ids(self):
        for request in self:
            similar = request._find_similar_resolutions()
            request.similar_request_ids = similar
            request.similar_count = len(similar)

    def _request_words(self):
        """The significant words of the request's subject and description."""
        self.ensure_one()
        text = " ".join(
            [self.summary or "", html2plaintext(self.description or "")]
        ).lower()
        words = []
        for word in re.findall(r"[^\W_]{4,}", text):
            if word not in STOP_WORDS and word not in words:
                words.append(word)
        return words[:MAX_WORDS]

    def _find_similar_resolutions(self, limit=SIMILAR_LIMIT):
        """Past resolutions ranked by shared traits: same equipment (4), same
        component (3), same product (2), plus one point per shared word
        (PostgreSQL full-text search, prefix match so plurals match). A match
        on words alone needs ``MIN_SHARED_WORDS`` of them.

        Rows are first narrowed to those sharing a trait or any word (the
        GIN index ``_knowledge_document_idx``), then each document is parsed
        once to count the shared words."""
        self.ensure_one()
        traits = {name: self[name]._origin.id or None for name in SIMILAR_WEIGHTS}
        words = self._request_words()
        if not words and not any(traits.values()):
            return self.browse()
        same = {
            name: SQL("%s = %s", SQL.identifier("r", name), value)
            for name, value in traits.items()
            if value
        }
        any_word = SQL(
            "%s @@ to_tsquery('simple', %s)",
            KNOWLEDGE_DOCUMENT,
            " | ".join(f"{word}:*" for word in words),
        )
        narrow = SQL(" OR ").join(
            [*same.values(), any_word] if words else same.values()
        )
        score = SQL(" + ").join(
            [
                SQL("CASE WHEN %s THEN %s ELSE 0 END", condition, SIMILAR_WEIGHTS[name])
                for name, condition in same.items()
            ]
            + [SQL("shared")]
        )
        structural = SQL(" OR ").join(same.values()) if same else SQL("FALSE")
        rows = self.env.execute_query(
            SQL(
                """
                WITH queries AS (
                    SELECT array_agg(to_tsquery('simple', w || ':*')) AS each_word
                      FROM unnest(%(words)s::text[]) AS w
                )
                SELECT r.id
                  FROM intervention_request r
                  CROSS JOIN queries
                  -- OFFSET 0: parse each document once, not once per word.
                  CROSS JOIN LATERAL (SELECT %(document)s AS doc OFFSET 0) d
                  CROSS JOIN LATERAL (
                      SELECT count(*) AS shared
                        FROM unnest(queries.each_word) AS q
                       WHERE d.doc @@ q
                  ) s
                 WHERE r.state IN ('resolved', 'closed')
                   AND r.id IN %(candidates)s AND r.id != %(self_id)s
                   AND (%(narrow)s)
                   AND ((%(structural)s) OR s.shared >= %(min_words)s)
                 ORDER BY %(score)s DESC, r.date_resolved DESC, r.id DESC
                 LIMIT %(limit)s
                """,
                words=words,
                document=KNOWLEDGE_DOCUMENT,
                candidates=self._search(self._knowledge_domain()).subselect(),
                self_id=self._origin.id or 0,
                narrow=narrow,
                structural=structural,
                min_words=min(MIN_SHARED_WORDS, len(words)) or 1,
                score=score,
                limit=limit,
            )
        )
        return self.browse([row[0] for row in rows])

    def action_view_similar_resolutions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "intervention_request.intervention_knowledge_action"
        )
        action.update(
            domain=[("id", "in", self.similar_request_ids.ids)],
            context={"intervention_target_request_id": self.id},
            name=self.env._("Similar Resolutions"),
        )
        return action

    # ------------------------------------------------------------------
    # Search
    # ------------------------------------------------------------------
    def _compute_knowledge_text(self):
        self.knowledge_text = False

    def _search_knowledge_text(self, operator, value):
        """Requests whose texts contain every word searched (full-text,
        prefix match, case and HTML insensitive)."""
        if operator not in ("ilike", "like", "=") or not isinstance(value, str):
            raise UserError(self.env._("Search the knowledge base with words."))
        words = re.findall(r"[^\W_]+", value.lower())
        if not words:
            return []
        rows = self.env.execute_query(
            SQL(
                "SELECT r.id FROM intervention_request r WHERE to_tsvector('simple', "
                "concat_ws(' ', r.name, r.summary, r.description, r.circumstances, "
                "r.cause, r.resolution)) @@ to_tsquery('simple', %s)",
                " & ".join(f"{word}:*" for word in words),
            )
        )
        return [("id", "in", [row[0] for row in rows])]
