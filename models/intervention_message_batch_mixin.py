from markupsafe import escape

from odoo import models
from odoo.tools import SQL, clean_context, split_every
from odoo.tools.mail import (
    email_normalize,
    email_split_and_format_normalize,
    formataddr,
    generate_tracking_message_id,
)

# How many messages of a record Odoo looks at to find a new message's parent
# (``mail.thread._message_compute_parent_id``) and its e-mail's references
# (``_notify_by_email_get_base_mail_values``).
PARENT_WINDOW = 200
REFERENCES_WINDOW = 32
REFERENCES_KEPT = 3
# The message types to which Odoo answers with an out-of-office message.
OUT_OF_OFFICE_TYPES = ("comment", "email")
# Odoo's mail queue, run at once after a batch of posts (hourly otherwise).
MAIL_QUEUE_CRON = "mail.ir_cron_mail_scheduler_action"


class InterventionMessageBatchMixin(models.AbstractModel):
    """One message posted on each of many requests at once, with the result
    of ``message_post`` on each (the scheduled actions' reminders, closure
    notices and escalation notes).

    ``message_post`` costs about ten queries a message: its parent, the
    message and its recipients, the followers, the e-mail's references, the
    tracking values, the e-mail, its recipients and the notification rows.
    ``_message_post_batch`` runs the same steps for the whole batch, each in
    one query (one insert of all the messages, one of all the e-mails, one
    of all the notification rows, one read of all the recipients), and
    reuses Odoo's own pieces for everything else: ``_message_create``,
    ``_message_post_after_hook``, ``mail.followers._get_recipient_data``,
    the classification of the recipients, the e-mail layout in each
    recipient's language, the headers, the inbox and push notifications.

    Not handled (the scheduled actions never ask for them): attachments,
    a parent given by the caller, scheduled notifications, extra e-mail
    addresses (``outgoing_email_to``), SMS, and the subscriptions
    ``message_post`` makes for a comment by an active user or on a model
    with ``_mail_thread_customer`` (neither applies to these notices)."""

    _name = "intervention.message.batch.mixin"
    _description = "Messages Posted in Batch"

    def _message_post_batch(
        self,
        values_by_id,
        message_type="notification",
        subtype_id=False,
        langs=None,
        mail_auto_delete=True,
        force_send=False,
    ):
        """Post a message on each record, as ``message_post`` does.

        ``values_by_id``: {record id: message values}, with ``body``,
        ``subject``, ``email_from``, ``author_id``, ``partner_ids`` (those
        notified besides the followers of the subtype), ``reply_to``,
        ``record_alias_domain_id``, ``record_company_id`` and optionally
        ``email_add_signature``, ``email_layout_xmlid``; ``langs``: {record
        id: language of its e-mails} (``force_email_lang``). Returns the
        messages, in the order of ``self``."""
        records = self._fallback_lang()
        if not records:
            return self.env["mail.message"]
        subtype_id = subtype_id or self.env["ir.model.data"]._xmlid_to_res_id(
            "mail.mt_note"
        )
        parents = records._message_batch_parents()
        values_list = []
        for record in records:
            values = {
                "author_guest_id": False,
                "email_add_signature": True,
                "incoming_email_to": False,
                "incoming_email_cc": False,
                "outgoing_email_to": False,
                **values_by_id[record.id],
                "model": records._name,
                "res_id": record.id,
                "message_type": message_type,
                "subtype_id": subtype_id,
                "parent_id": parents.get(record.id, False),
            }
            values["body"] = escape(values.get("body") or "")
            values["subject"] = values.get("subject") or False
            values["partner_ids"] = list(values.get("partner_ids") or [])
            values.update(record._process_attachments_for_post([], [], values))
            values_list.append(values)
        messages = records._message_create(values_list)
        for record, message, values in zip(records, messages, values_list, strict=True):
            record._message_post_after_hook(message, values)
        mails = records._notify_batch(
            messages, values_list, langs or {}, mail_auto_delete
        )
        records._notify_batch_send(mails, force_send)
        return messages

    def _message_notify_batch(self, values_list, force_send=False):
        """``message_notify`` for several messages on no record, each to its
        own partners (a person told of several records at once): one insert
        of the messages, one read of all the recipients, one insert of the
        e-mails and one of the notification rows. ``values_list``: dicts
        with ``body``, ``subject`` and ``partner_ids``; the author is the
        current user, as with ``message_notify``. Called on an empty
        recordset of the model. The e-mails refer to no earlier message (no
        record, no thread). Returns the messages."""
        Thread = self.browse()._fallback_lang()
        if not values_list:
            return self.env["mail.message"]
        author_id, email_from = Thread._message_compute_author()
        subtype_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        reply_to = Thread._notify_get_reply_to(default=email_from, author_id=author_id)[
            False
        ]
        create_values = [
            {
                "author_id": author_id,
                "email_from": email_from,
                "model": False,
                "res_id": False,
                "body": escape(values.get("body") or ""),
                "is_internal": True,
                "message_type": "user_notification",
                "subject": values.get("subject") or False,
                "subtype_id": subtype_id,
                "message_id": generate_tracking_message_id("message-notify"),
                "partner_ids": list(values["partner_ids"]),
                "email_add_signature": True,
                "reply_to": reply_to,
            }
            for values in values_list
        ]
        messages = Thread._message_create(create_values)
        pids = sorted(
            {pid for values in create_values for pid in values["partner_ids"]}
        )
        partners = self.env["mail.followers"]._get_recipient_data(
            None, "user_notification", subtype_id, pids
        )[0]
        items = []
        for message, values in zip(messages, create_values, strict=True):
            recipients = [
                dict(partners[pid], is_follower=False)
                for pid in values["partner_ids"]
                if pid in partners and partners[pid]["active"] is not False
            ]
            if any(r["notif"] == "inbox" for r in recipients):
                Thread._notify_thread_by_inbox(message, recipients, msg_vals=values)
            if Thread._notify_get_recipients_for_extra_notifications(
                message, recipients, msg_vals=values
            ):
                Thread._notify_thread_by_web_push(message, recipients, msg_vals=values)
            items.append(
                (Thread, message, values, recipients, self.env["mail.message"], False)
            )
        Thread._notify_batch_send(Thread._notify_batch_mails(items, True), force_send)
        return messages

    # ------------------------------------------------------------------
    # The message
    # ------------------------------------------------------------------
    def _message_batch_parents(self):
        """{record id: parent message id} as ``_message_compute_parent_id``
        finds it for a flat thread: among the record's last PARENT_WINDOW
        messages, the latest comment or e-mail, else the latest message; one
        query for all the records (index mail_message (model, res_id))."""
        if not self._mail_flat_thread:
            return {}
        self.env["mail.message"].flush_model(
            ["model", "res_id", "message_type", "date"]
        )
        self.env.cr.execute(
            SQL(
                """SELECT DISTINCT ON (res_id) res_id, id
                     FROM (SELECT id, res_id, message_type, date,
                                  ROW_NUMBER() OVER (
                                      PARTITION BY res_id ORDER BY date DESC, id DESC
                                  ) AS position
                             FROM mail_message
                            WHERE model = %(model)s AND res_id = ANY(%(ids)s)
                              AND message_type != 'user_notification') last
                    WHERE position <= %(window)s
                 ORDER BY res_id, message_type IN ('comment', 'email') DESC,
                          date DESC, id DESC""",
                model=self._name,
                ids=self.ids,
                window=PARENT_WINDOW,
            )
        )
        return dict(self.env.cr.fetchall())

    # ------------------------------------------------------------------
    # Notifications
    # ------------------------------------------------------------------
    def _notify_batch(self, messages, values_list, langs, mail_auto_delete):
        """``_notify_thread`` for each message: the recipients of all of them
        read at once, then the inbox, push and e-mail notifications. Returns
        the e-mails."""
        recipients = self._notify_batch_recipients(values_list)
        for record, message, values in zip(self, messages, values_list, strict=True):
            record_recipients = recipients[record.id]
            if values["message_type"] in OUT_OF_OFFICE_TYPES:
                record._notify_thread_with_out_of_office(
                    message, record_recipients, msg_vals=values
                )
            # Inbox and push: internal users who read their notifications in
            # Odoo; rare on these messages, left to Odoo one by one.
            if any(r["notif"] == "inbox" for r in record_recipients):
                record._notify_thread_by_inbox(
                    message, record_recipients, msg_vals=values
                )
            if record._notify_get_recipients_for_extra_notifications(
                message, record_recipients, msg_vals=values
            ):
                record._notify_thread_by_web_push(
                    message, record_recipients, msg_vals=values
                )
        return self._notify_batch_by_email(
            messages, values_list, recipients, langs, mail_auto_delete
        )

    def _notify_batch_recipients(self, values_list):
        """{record id: recipients data} as ``_notify_get_recipients`` gives
        them for each message: the followers of the subtype, and the
        partners given, without the author, the archived partners; three
        queries for the batch."""
        Followers = self.env["mail.followers"]
        message_type = values_list[0]["message_type"]
        subtype_id = values_list[0]["subtype_id"]
        followers = Followers._get_recipient_data(self, message_type, subtype_id)
        pids = sorted({pid for values in values_list for pid in values["partner_ids"]})
        partners = (
            Followers._get_recipient_data(None, message_type, subtype_id, pids)[0]
            if pids
            else {}
        )
        following = set()
        if pids:
            following = {
                (follower.res_id, follower.partner_id.id)
                for follower in Followers.sudo().search_fetch(
                    [
                        ("res_model", "=", self._name),
                        ("res_id", "in", self.ids),
                        ("partner_id", "in", pids),
                    ],
                    ["res_id", "partner_id"],
                )
            }
        notify_author = self.env.context.get("mail_notify_author")
        skipped_authors = {}
        result = {}
        for record, values in zip(self, values_list, strict=True):
            data = dict(followers.get(record.id, {}))
            for pid in values["partner_ids"]:
                if pid not in data and pid in partners:
                    is_follower = (record.id, pid) in following
                    data[pid] = dict(partners[pid], is_follower=is_follower)
            author_id = values.get("author_id")
            if author_id not in skipped_authors:
                skipped_authors[author_id] = (
                    False
                    if notify_author
                    else self._message_compute_real_author(author_id).id
                )
            skip = skipped_authors[author_id]
            result[record.id] = [
                recipient
                for pid, recipient in data.items()
                if not (pid and pid == skip) and recipient["active"] is not False
            ]
        return result

    def _notify_batch_by_email(
        self, messages, values_list, recipients, langs, mail_auto_delete
    ):
        """``_notify_thread_by_email`` for each message, the e-mails and the
        notification rows (the e-mail's status in the chatter) of all the
        messages created at once. Returns the e-mails."""
        references = self._notify_batch_references(messages)
        return self._notify_batch_mails(
            [
                (
                    record,
                    message,
                    values,
                    recipients[record.id],
                    references[message.id],
                    langs.get(record.id, False),
                )
                for record, message, values in zip(
                    self, messages, values_list, strict=True
                )
            ],
            mail_auto_delete,
        )

    def _notify_batch_mails(self, items, mail_auto_delete):
        """The e-mails and notification rows (the e-mail's status in the
        chatter) of messages, created at once; ``items``: (record or empty
        recordset, message, its values, its recipients data, the earlier
        messages its e-mail refers to, the language of its e-mails or
        False). Returns the e-mails."""
        batch_size = (
            int(self.env["ir.config_parameter"].sudo().get_param("mail.batch_size"))
            or 50
        )
        mail_values, notification_values = [], []
        for record, message, values, recipients, ancestors, lang in items:
            partners_data = [r for r in recipients if r["notif"] == "email"]
            if not partners_data:
                continue
            base = record._notify_batch_base_mail_values(
                message, partners_data, ancestors, {"auto_delete": mail_auto_delete}
            )
            notification_base = record._notify_by_email_get_base_notification_values(
                message
            )
            # A new message has no tracking values: say so, sparing a search.
            notify_values = dict(values, tracking_value_ids=[])
            for (
                _lang,
                render_values,
                group,
            ) in record._notify_get_classified_recipients_iterator(
                message,
                partners_data,
                msg_vals=notify_values,
                force_email_lang=lang,
            ):
                body = record._notify_by_email_render_layout(
                    message, group, msg_vals=notify_values, render_values=render_values
                )
                for chunk in split_every(batch_size, group["recipients_ids"]):
                    mail_values.append(
                        record._notify_by_email_get_final_mail_values(
                            chunk, base, additional_values={"body_html": body}
                        )
                    )
                    notification_values.append(
                        [{"res_partner_id": pid, **notification_base} for pid in chunk]
                    )
                if group["recipients_emails"]:
                    final = record._notify_by_email_get_final_mail_values(
                        [], base, additional_values={"body_html": body}
                    )
                    final["email_to"] = ",".join(group["recipients_emails"])
                    mail_values.append(final)
                    notification_values.append(
                        [
                            {"mail_email_address": email, **notification_base}
                            for email in group["recipients_emails"]
                        ]
                    )
        if not mail_values:
            return self.env["mail.mail"].sudo()
        safe_env = self.env(context=clean_context(self.env.context), su=True)
        mails = safe_env["mail.mail"].create(mail_values)
        safe_env["mail.notification"].create(
            [
                dict(notification, mail_mail_id=mail.id)
                for mail, notifications in zip(mails, notification_values, strict=True)
                for notification in notifications
            ]
        )
        return mails

    def _notify_batch_references(self, messages):
        """{message id: earlier messages} whose Message-Ids the message's
        e-mail refers to, as ``_notify_by_email_get_base_mail_values`` picks
        them (among the record's last REFERENCES_WINDOW messages with a
        subtype, public discussions first, the last REFERENCES_KEPT oldest
        first); one query for all the records."""
        Message = self.env["mail.message"].sudo()
        Message.flush_model(["model", "res_id", "subtype_id", "message_id"])
        self.env.cr.execute(
            SQL(
                """SELECT id FROM (
                       SELECT id, ROW_NUMBER() OVER (
                                  PARTITION BY res_id ORDER BY id DESC
                              ) AS position
                         FROM mail_message
                        WHERE model = %(model)s AND res_id = ANY(%(ids)s)
                          AND id != ALL(%(new)s) AND subtype_id IS NOT NULL
                          AND message_id IS NOT NULL) last
                    WHERE position <= %(window)s""",
                model=self._name,
                ids=self.ids,
                new=messages.ids,
                window=REFERENCES_WINDOW,
            )
        )
        earlier = Message.browse(row[0] for row in self.env.cr.fetchall())
        by_record = earlier.grouped("res_id")
        outgoing_types = ("comment", "auto_comment", "email", "email_outgoing")
        result = {}
        for message in messages:
            ancestors = by_record.get(message.res_id, Message).sorted(
                "id", reverse=True
            )
            history = ancestors.sorted(
                lambda m: (
                    not m.is_internal and not m.subtype_id.internal,
                    m.message_type in outgoing_types,
                    m.message_type not in ("user_notification", "out_of_office"),
                ),
                reverse=True,
            )
            result[message.id] = history[:REFERENCES_KEPT].sorted("id")
        return result

    def _notify_batch_base_mail_values(
        self, message, recipients_data, ancestors, additional_values
    ):
        """``_notify_by_email_get_base_mail_values`` with the references
        found for the batch (``ancestors``); ``self`` is the record, or
        empty for a message on no record (``_message_notify_batch``)."""
        message_sudo = message.sudo()
        subject = (
            message.subject
            or (self and self.ensure_one()._message_compute_subject())
            or message.record_name
        )
        if subject:
            subject = " ".join(subject.splitlines())
        values = {
            "mail_message_id": message.id,
            "references": " ".join(m.message_id for m in ancestors + message_sudo),
            **additional_values,
        }
        if subject != message.subject:
            values["subject"] = subject
        headers = values.get("headers") or {}
        external = [
            r
            for r in recipients_data
            if r["active"] and r["email_normalized"] and r["share"]
        ]
        emails = [formataddr((r["name"], r["email_normalized"])) for r in external]
        normalized = [r["email_normalized"] for r in external]
        emails += list(
            {
                email
                for email in email_split_and_format_normalize(
                    f"{message_sudo.incoming_email_to or ''},"
                    f"{message_sudo.incoming_email_cc or ''}"
                )
                if email_normalize(email) not in normalized
            }
        )
        if emails and len(emails) < self._CUSTOMER_HEADERS_LIMIT_COUNT:
            headers["X-Msg-To-Add"] = ",".join(emails)
        if message_sudo.record_alias_domain_id.bounce_email:
            headers["Return-Path"] = message_sudo.record_alias_domain_id.bounce_email
        headers = self._notify_by_email_get_headers(headers=headers)
        if headers:
            values["headers"] = repr(headers)
        return values

    def _notify_batch_send(self, mails, force_send):
        """Send ``mails`` at once (after the commit) when ``force_send``, as
        ``message_post`` does; otherwise (a batch) through the mail queue,
        which is triggered now rather than within the hour."""
        if not mails:
            return
        if force_send and self.env.context.get("mail_notify_force_send", True):
            limit = int(
                self.env["ir.config_parameter"]
                .sudo()
                .get_param("mail.mail.force.send.limit", 100)
            )
            if len(mails) < limit:
                mails.send_after_commit()
                return
        queue = self.env.ref(MAIL_QUEUE_CRON, raise_if_not_found=False)
        if queue:
            queue.sudo()._trigger()
