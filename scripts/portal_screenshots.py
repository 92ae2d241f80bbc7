"""Take the README screenshots of the customer portal (a running demo).

Usage (demo database with the portal user portal_horizon):
    IR_LOGIN=portal_horizon IR_PASSWORD=portal_horizon \
        python scripts/portal_screenshots.py docs/screenshots

Same environment as scripts/screenshots.py, whose browser helpers it reuses;
it also fills the creation form (a not-covered asset) before its shot.
"""

import base64
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

import screenshots as shots

FILL_FORM = """
(() => {
    const form = document.querySelector('.o_intervention_form');
    const pick = (name, text) => {
        const select = form.querySelector(`select[name='${name}']`);
        const options = [...select.options];
        const option = options.find((o) => o.text.trim() === text)
            || options.find((o) => o.text.includes(text));
        select.value = option.value;
        select.dispatchEvent(new Event('change', { bubbles: true }));
    };
    pick('contract_id', 'CTR');
    // The company's own address is not among the contract's covered sites.
    pick('site_id', 'Horizon Logistique SA');
    pick('equipment_id', 'Office suite');
    form.querySelector("input[name='summary']").value =
        'Office suite: Excel crashes on start';
    form.querySelector("textarea[name='description']").value =
        'Excel closes at start-up on every workstation since 8:00.';
    form.querySelector("input[name='single_malfunction']").checked = true;
})();
"""
# An asset of the head office chosen with the warehouse: flagged at once.
PICK_MISMATCH = """
(() => {
    const form = document.querySelector('.o_intervention_form');
    const pick = (name, text) => {
        const select = form.querySelector(`select[name='${name}']`);
        const option = [...select.options].find((o) => o.text.includes(text));
        select.value = option.value;
        select.dispatchEvent(new Event('change', { bubbles: true }));
    };
    pick('contract_id', 'CTR');
    pick('site_id', 'Saint-Priest');
    pick('equipment_id', 'File server');
})();
"""
SCROLL_TO_NOTICE = """
document.querySelector('#o_intervention_coverage')
    .scrollIntoView({ block: 'center' });
"""


def request_url(name):
    """The portal page of the demo request whose subject starts with name."""
    return f"/my/interventions?search={name}&search_in=summary"


def main(output_dir):
    output = pathlib.Path(output_dir)
    output.mkdir(parents=True, exist_ok=True)
    session = shots.login()
    profile = tempfile.mkdtemp()
    browser = subprocess.Popen(
        [
            shots.CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            f"--remote-debugging-port={shots.DEBUG_PORT}",
            f"--window-size={shots.WIDTH},{shots.HEIGHT}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait = float(os.environ.get("IR_SHOT_WAIT", "4"))
    try:
        page = shots.Page(shots.page_socket())
        page.call("Network.enable")
        host = shots.URL.split("//", 1)[1].split(":")[0].split("/")[0]
        page.call(
            "Network.setCookie", name="session_id", value=session, domain=host, path="/"
        )
        page.call(
            "Emulation.setDeviceMetricsOverride",
            width=shots.WIDTH,
            height=shots.HEIGHT,
            deviceScaleFactor=1,
            mobile=False,
        )

        def shoot(name, path=None, script=None, full=False):
            if path:
                page.call("Page.navigate", url=shots.URL + path)
                time.sleep(wait)
            if script:
                page.call("Runtime.evaluate", expression=script)
                time.sleep(wait)
            params = {"format": "png"}
            if full:
                params["captureBeyondViewport"] = True
            data = page.call("Page.captureScreenshot", **params)["data"]
            target = output / f"{name}.png"
            target.write_bytes(base64.b64decode(data))
            print(f"{target} <- {path or 'same page'}")

        def open_first_request(subject):
            page.call("Page.navigate", url=shots.URL + request_url(subject))
            time.sleep(wait)
            page.call(
                "Runtime.evaluate",
                expression="document.querySelector('.o_intervention_row a').click()",
            )
            time.sleep(wait)

        shoot("portal_list", "/my/interventions")
        shoot("portal_new", "/my/interventions/new", FILL_FORM + SCROLL_TO_NOTICE)
        shoot("portal_new_mismatch", "/my/interventions/new", PICK_MISMATCH)
        open_first_request("Warehouse Wi-Fi")
        shoot("portal_request")
        open_first_request("Label printer")
        shoot("portal_resolved")
    finally:
        browser.terminate()
        browser.wait(timeout=10)
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
