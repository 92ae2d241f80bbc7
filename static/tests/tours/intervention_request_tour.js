import { registry } from "@web/core/registry";

/**
 * The desk records a phone request, acknowledges and qualifies it, waits on
 * the client for site access (a freeze period opens) and resumes it when the
 * client answers.
 */
registry.category("web_tour.tours").add("intervention_request_desk_tour", {
    steps: () => [
        {
            content: "Choose the requester",
            trigger: ".o_form_view div[name='requester_id'] input",
            run: "edit Alice Tour",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(Alice Tour)",
            run: "click",
        },
        {
            content: "The client's only contract is chosen",
            trigger: ".o_form_view div[name='contract_id'] input:value(/CTR/)",
        },
        {
            content: "Subject",
            trigger: ".o_form_view div[name='summary'] input",
            run: "edit Label printer jams",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Acknowledge",
            trigger: ".o_form_saved button[name='action_receive']",
            run: "click",
        },
        {
            content: "Received: the qualification can be confirmed",
            trigger: ".o_form_view button[name='action_qualify']",
            run: "click",
        },
        {
            content: "Qualified: work can start",
            trigger: ".o_form_view button[name='action_start']",
        },
        {
            content: "Wait on the client",
            trigger: "button[name='action_open_wait_wizard']",
            run: "click",
        },
        {
            content: "Reason: site access",
            trigger: ".modal div[name='reason'] input[data-value='site_access']",
            run: "click",
        },
        {
            trigger: ".modal div[name='note'] input",
            run: "edit Badge for the server room",
        },
        {
            trigger: ".modal-footer button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The request waits on the client",
            trigger: ".o_form_view button[name='action_resume']",
        },
        {
            content: "Open the history: its freeze periods",
            trigger: "a[name='timeline']",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='freeze_ids'] td:contains(Badge for the server room)",
        },
        {
            content: "The client answered",
            trigger: "button[name='action_resume']",
            run: "click",
        },
        {
            content: "Back to qualified, the freeze is closed",
            trigger: ".o_form_view button[name='action_start']",
        },
        {
            trigger: ".o_field_widget[name='freeze_ids'] tr:not(.text-info) td:contains(Badge for the server room)",
        },
    ],
});
