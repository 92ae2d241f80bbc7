import { registry } from "@web/core/registry";

/**
 * A client opens a request from the portal (the coverage notice shows before
 * sending), then writes a message in its conversation.
 */
registry.category("web_tour.tours").add("intervention_portal_create_tour", {
    steps: () => [
        {
            content: "Open the creation form",
            trigger: "a.o_intervention_new",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: "select[name='contract_id']",
            run: "selectByLabel CTR",
        },
        {
            trigger: "select[name='site_id']",
            run: "selectByLabel Horizon Portal site",
        },
        {
            trigger: "select[name='equipment_id']",
            run: "selectByLabel Horizon Portal server",
        },
        {
            content: "The client is told the request is covered before sending",
            trigger: "#o_intervention_coverage .o_intervention_covered",
        },
        {
            trigger: "input[name='summary']",
            run: "edit Badge reader refuses every card",
        },
        {
            trigger: "textarea[name='description']",
            run: "edit The badge reader at the main door blinks red for every card since 8:00.",
        },
        {
            trigger: "input[name='single_malfunction']",
            run: "check",
        },
        {
            content: "Send",
            trigger: "button.o_intervention_send",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Acknowledged at once: the request page shows Received and the commitments",
            trigger: ".o_intervention_page .o_intervention_state:contains(Received)",
        },
        {
            trigger: ".o_intervention_deadlines td:contains(Taken in charge)",
        },
        {
            content: "Write to the help desk",
            trigger: "#chatterRoot:shadow .o-mail-Composer-input",
            run: "edit The reader of the back door fails too.",
        },
        {
            trigger: "#chatterRoot:shadow .o-mail-Composer-send:enabled",
            run: "click",
        },
        {
            content: "The message is in the conversation",
            trigger:
                "#chatterRoot:shadow .o-mail-Message-body:contains(The reader of the back door fails too.)",
        },
    ],
});

/**
 * The help desk resolved the request; the client reopens it from the portal
 * within the reopen window.
 */
registry.category("web_tour.tours").add("intervention_portal_reopen_tour", {
    steps: () => [
        {
            trigger: ".o_intervention_state:contains(Resolved)",
        },
        {
            content: "Say why the fix did not hold",
            trigger: "textarea[name='reason']",
            run: "edit The reader refuses the cards again.",
        },
        {
            trigger: "button.o_intervention_reopen",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The request is reopened",
            trigger: ".o_intervention_state:contains(Reopened)",
        },
    ],
});
