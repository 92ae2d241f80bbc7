"""Take README screenshots of a running Odoo with headless Chromium.

Usage (with the demo started by scripts/setup.sh):
    python scripts/screenshots.py OUTPUT_DIR NAME=PATH[::STEP...] [...]
    e.g. docs/screenshots \
        requests=/odoo/action-intervention_request.intervention_request_action \
        history=/odoo/action-intervention_request.intervention_request_action/7::tab=History

Steps, run in order once the page is loaded (IR_SHOT_STEP_WAIT seconds, 1.5,
after each): tab=LABEL clicks the form's tab of that label, text=LABEL clicks
the first button or link of that label, click=CSS clicks an element,
scroll=CSS scrolls an element to the top, js=EXPRESSION runs a script,
wait=SECONDS waits.

Environment: IR_URL (http://127.0.0.1:8069), IR_DB (intervention_demo),
IR_LOGIN / IR_PASSWORD (admin / admin), CHROMIUM (chromium), IR_SHOT_WIDTH /
IR_SHOT_HEIGHT (1440 x 900), IR_SHOT_WAIT (seconds once a page shows its
view, 4), IR_SHOT_WAIT_MAX (seconds to wait for a view, 120), IR_SHOT_DEBUG_PORT
(Chromium's DevTools port, 9333), IR_SHOT_TIMEOUT (seconds to wait for an
answer of Chromium, 60; more on a busy machine).
Logs in through /web/session/authenticate, hands the session cookie to
Chromium over the DevTools protocol, and saves one PNG per page.
"""

import base64
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import requests
import websocket

STEP_SCRIPTS = {
    "tab": "[...document.querySelectorAll('.o_notebook .nav-link')]"
    ".find((e) => e.textContent.trim() === {arg}).click()",
    "text": "[...document.querySelectorAll('button, a')]"
    ".find((e) => e.textContent.trim() === {arg}).click()",
    "click": "document.querySelector({arg}).click()",
    "scroll": "document.querySelector({arg}).scrollIntoView()",
    "js": "{raw}",
}

URL = os.environ.get("IR_URL", "http://127.0.0.1:8069")
DB = os.environ.get("IR_DB", "intervention_demo")
LOGIN = os.environ.get("IR_LOGIN", "admin")
PASSWORD = os.environ.get("IR_PASSWORD", "admin")
CHROMIUM = os.environ.get("CHROMIUM", "chromium")
DEBUG_PORT = int(os.environ.get("IR_SHOT_DEBUG_PORT", "9333"))
WIDTH = int(os.environ.get("IR_SHOT_WIDTH", "1440"))
HEIGHT = int(os.environ.get("IR_SHOT_HEIGHT", "900"))


def login():
    payload = {
        "jsonrpc": "2.0",
        "params": {"db": DB, "login": LOGIN, "password": PASSWORD},
    }
    response = requests.post(
        f"{URL}/web/session/authenticate", json=payload, timeout=30
    )
    response.raise_for_status()
    if response.json().get("error"):
        sys.exit(f"Login failed: {response.json()['error']['data']['message']}")
    return response.cookies["session_id"]


class Page:
    def __init__(self, ws_url):
        timeout = float(os.environ.get("IR_SHOT_TIMEOUT", "60"))
        self.ws = websocket.create_connection(ws_url, timeout=timeout)
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(
            json.dumps({"id": self.next_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                return message.get("result", {})


def page_socket():
    for _attempt in range(50):
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{DEBUG_PORT}/json/list"
            ) as answer:
                targets = [t for t in json.load(answer) if t["type"] == "page"]
            if targets:
                return targets[0]["webSocketDebuggerUrl"]
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit("Chromium's DevTools endpoint did not answer.")


READY_SCRIPT = """(() => {
    const view = document.querySelector(
        '.o_action_manager .o_view_controller, .modal .o_form_view, main, .o_portal'
    );
    return Boolean(view) && !document.querySelector('.o_loading_indicator, .o_blockUI');
})()"""


def wait_until_ready(page):
    """Wait until a view is shown and nothing loads any more (at most
    IR_SHOT_WAIT_MAX seconds), then IR_SHOT_WAIT seconds for the last
    renderings."""
    deadline = time.monotonic() + float(os.environ.get("IR_SHOT_WAIT_MAX", "120"))
    time.sleep(1)
    while time.monotonic() < deadline:
        answer = page.call("Runtime.evaluate", expression=READY_SCRIPT)
        if answer.get("result", {}).get("value"):
            break
        time.sleep(0.5)
    time.sleep(float(os.environ.get("IR_SHOT_WAIT", "4")))


def run_step(page, step):
    """Run one step (``kind=argument``) on the loaded page."""
    kind, _sep, arg = step.partition("=")
    if kind == "wait":
        time.sleep(float(arg))
        return
    if kind not in STEP_SCRIPTS:
        sys.exit(f"Unknown step {step!r}: use one of wait, {', '.join(STEP_SCRIPTS)}.")
    script = STEP_SCRIPTS[kind].format(arg=json.dumps(arg), raw=arg)
    result = page.call("Runtime.evaluate", expression=script)
    if "exceptionDetails" in result:
        sys.exit(f"Step {step!r} failed: {result['exceptionDetails']}")
    time.sleep(float(os.environ.get("IR_SHOT_STEP_WAIT", "1.5")))


def main(output_dir, shots):
    output = pathlib.Path(output_dir)
    output.mkdir(parents=True, exist_ok=True)
    session = login()
    profile = tempfile.mkdtemp()
    browser = subprocess.Popen(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            f"--remote-debugging-port={DEBUG_PORT}",
            f"--window-size={WIDTH},{HEIGHT}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        page = Page(page_socket())
        page.call("Network.enable")
        host = URL.split("//", 1)[1].split(":")[0].split("/")[0]
        page.call(
            "Network.setCookie", name="session_id", value=session, domain=host, path="/"
        )
        page.call(
            "Emulation.setDeviceMetricsOverride",
            width=WIDTH,
            height=HEIGHT,
            deviceScaleFactor=1,
            mobile=False,
        )
        for name, target_path in shots:
            path, *steps = target_path.split("::")
            page.call("Page.navigate", url=URL + path)
            wait_until_ready(page)
            for step in steps:
                run_step(page, step)
            data = page.call("Page.captureScreenshot", format="png")["data"]
            target = output / f"{name}.png"
            target.write_bytes(base64.b64decode(data))
            print(f"{target} <- {path}")
    finally:
        browser.terminate()
        browser.wait(timeout=10)
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], [arg.split("=", 1) for arg in sys.argv[2:]])
