import {Interaction} from "@web/public/interaction";
import {registry} from "@web/core/registry";
import {rpc} from "@web/core/network/rpc";
import {_t} from "@web/core/l10n/translation";

/**
 * Before the client sends a request, tell them what the backend will decide:
 * not covered by the contract (billable, with the cause) or sent outside the
 * covered hours (on hold until the next opening). The server computes the
 * verdict (/my/interventions/coverage); without JavaScript, the form's
 * server-side confirmation step says the same.
 */
export class InterventionCoverage extends Interaction {
    static selector = ".o_intervention_form";
    dynamicContent = {
        ".o_intervention_coverage_input": {
            "t-on-change": this.onChange,
        },
    };

    async onChange() {
        const form = this.el;
        const values = {};
        for (const name of [
            "contract_id",
            "site_id",
            "equipment_id",
            "kind",
            "severity",
        ]) {
            values[name] = form.querySelector(`[name='${name}']`)?.value || "";
        }
        const verdict = await this.waitFor(rpc("/my/interventions/coverage", values));
        this.render(verdict);
    }

    render(verdict) {
        const box = this.el.querySelector("#o_intervention_coverage");
        box.replaceChildren();
        this.renderErrors(verdict.errors || {});
        if (!verdict.ready) {
            return;
        }
        if (!verdict.covered) {
            box.append(
                this.alert(
                    "alert-warning o_intervention_not_covered",
                    _t(
                        "Not covered by your contract: %(reason)s This request will be billed (%(cause)s).",
                        {
                            reason: verdict.message,
                            cause: verdict.billable_cause,
                        }
                    )
                )
            );
        }
        if (verdict.out_of_hours) {
            box.append(
                this.alert(
                    "alert-info o_intervention_out_of_hours",
                    _t(
                        "Outside the covered hours: your request will be recorded now and handled from %(date)s; the committed times start then.",
                        {date: verdict.next_opening}
                    )
                )
            );
        }
        if (verdict.covered && !verdict.out_of_hours) {
            box.append(
                this.alert("alert-success o_intervention_covered", verdict.message)
            );
        }
    }

    /**
     * Mark at once a site, asset or contract that does not fit the others
     * (an asset installed at another site), as the server would on sending.
     */
    renderErrors(errors) {
        for (const el of this.el.querySelectorAll(".o_intervention_live_error")) {
            el.remove();
        }
        for (const name of ["contract_id", "site_id", "equipment_id"]) {
            const input = this.el.querySelector(`[name='${name}']`);
            if (!input) {
                continue;
            }
            input.classList.toggle("is-invalid", Boolean(errors[name]));
            if (errors[name]) {
                const feedback = document.createElement("div");
                feedback.className =
                    "invalid-feedback d-block o_intervention_live_error";
                feedback.textContent = errors[name];
                input.after(feedback);
            }
        }
    }

    alert(classes, text) {
        const div = document.createElement("div");
        div.className = `alert ${classes}`;
        div.setAttribute("role", "status");
        div.textContent = text;
        return div;
    }
}

registry
    .category("public.interactions")
    .add("intervention_request.intervention_coverage", InterventionCoverage);
