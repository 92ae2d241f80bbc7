"""Load generator of the portal load benchmark (issue 19, point 3); run by
``portal_load_bench.sh``, not on its own.

    python portal_load_client.py BASE_URL IDS_FILE SERVER_LOG

``BENCH_CLIENTS`` threads (8), each signed in as the bench's portal user
with its own session, request one page as fast as the server answers for
``BENCH_SECONDS`` (20) per measure, a new connection per request, after a
warm-up. Our list (/my/interventions) and the peer's (/my/tickets), then
our request page (/my/interventions/<id>) and the peer's (/my/ticket/<id>)
over 50 records in turn; ``BENCH_ROUNDS`` rounds (2), ours first in one,
the peer first in the next. Prints, for each, pages/s, p50 and p95 in ms,
the SQL queries per page (Odoo's request log), the load average, and the
ratios ours/peer. Standard library only."""

import http.client
import json
import os
import re
import statistics
import sys
import threading
import time
from urllib.parse import urlencode, urlsplit

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
WARMUP = 3  # requests per client before each measure
LOGIN, PASSWORD = "bench_portal", "bench"
CSRF_RE = re.compile(rb'name="csrf_token" value="([^"]+)"')
LOG_RE = re.compile(r'"GET (\S+) HTTP/[\d.]+" (\d+) - (\d+) ')


class Client:
    def __init__(self, base_url):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.cookie = ""

    def get(self, path, headers=None, body=None, method="GET"):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
        try:
            headers = dict(headers or {})
            if self.cookie:
                headers["Cookie"] = self.cookie
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie" and value.startswith("session_id="):
                    self.cookie = value.split(";", 1)[0]
            return response.status, content
        finally:
            conn.close()

    def login(self):
        _status, page = self.get("/web/login")
        csrf = CSRF_RE.search(page).group(1).decode()
        status, _page = self.get(
            "/web/login",
            {"Content-Type": "application/x-www-form-urlencoded"},
            urlencode(
                {
                    "login": LOGIN,
                    "password": PASSWORD,
                    "csrf_token": csrf,
                    "redirect": "/my",
                }
            ),
            "POST",
        )
        if status != 303:
            sys.exit(f"Signing in as {LOGIN} failed (HTTP {status}).")


def measure(clients, paths):
    """(pages per second, [latency s], errors) of the clients requesting
    ``paths`` in turn for SECONDS."""
    latencies, errors = [], []
    lock = threading.Lock()

    def run(index, client, stop):
        mine, bad, turn = [], 0, index
        while True:
            path = paths[turn % len(paths)]
            turn += len(clients)
            t0 = time.perf_counter()
            status, _content = client.get(path)
            if stop is None:
                if turn // len(clients) >= WARMUP:
                    break
                continue
            if time.perf_counter() > stop:
                break
            mine.append(time.perf_counter() - t0)
            bad += status != 200
        with lock:
            latencies.extend(mine)
            errors.append(bad)

    for stop_at in (None, SECONDS):
        latencies.clear()
        start = time.perf_counter()
        stop = start + stop_at if stop_at else None
        threads = [
            threading.Thread(target=run, args=(i, c, stop))
            for i, c in enumerate(clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return len(latencies) / SECONDS, latencies, sum(errors)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def queries_per_page(log_path):
    """{page kind: median SQL queries} from Odoo's request log lines."""
    counts = {}
    with open(log_path, encoding="utf-8", errors="replace") as log:
        for line in log:
            match = LOG_RE.search(line)
            if not match or match.group(2) != "200":
                continue
            path = match.group(1).split("?")[0]
            kind = re.sub(r"/\d+$", "/<id>", path)
            counts.setdefault(kind, []).append(int(match.group(3)))
    return {kind: statistics.median(values) for kind, values in counts.items()}


def main():
    base_url, ids_file, log_path = sys.argv[1:4]
    with open(ids_file, encoding="utf-8") as ids_in:
        ids = json.load(ids_in)
    clients = [Client(base_url) for _i in range(CLIENTS)]
    for client in clients:
        client.login()
    pages = {
        "list": {"ours": ["/my/interventions"], "peer": ["/my/tickets"]},
        "page": {
            "ours": [f"/my/interventions/{i}" for i in ids["ours"]],
            "peer": [f"/my/ticket/{i}" for i in ids["peer"]],
        },
    }
    results = {}
    print(
        f"\n=== Portal under load: {CLIENTS} clients, {SECONDS:.0f} s per measure, "
        f"{ROUNDS} rounds ==="
    )
    for round_index in range(ROUNDS):
        sides = ("ours", "peer") if round_index % 2 == 0 else ("peer", "ours")
        for kind, by_side in pages.items():
            for side in sides:
                if not by_side[side]:
                    continue
                rate, latencies, errors = measure(clients, by_side[side])
                load = os.getloadavg()[0]
                results.setdefault((kind, side), []).append((rate, latencies))
                print(
                    f"round {round_index + 1} {kind:4} {side}: {rate:6.1f} pages/s, "
                    f"p50 {percentile(latencies, 0.5) * 1000:5.0f} ms, "
                    f"p95 {percentile(latencies, 0.95) * 1000:5.0f} ms, "
                    f"{len(latencies)} pages, {errors} not 200 "
                    f"(load average {load:.1f})"
                )
                if errors:
                    sys.exit(f"{errors} {side} {kind} pages did not answer 200.")
    queries = queries_per_page(log_path)
    print("\nAll rounds together:")
    for kind, by_side in pages.items():
        summary = {}
        for side in ("ours", "peer"):
            if (kind, side) not in results:
                continue
            runs = results[kind, side]
            latencies = [value for _rate, values in runs for value in values]
            summary[side] = (
                statistics.mean(rate for rate, _values in runs),
                percentile(latencies, 0.5) * 1000,
                percentile(latencies, 0.95) * 1000,
                queries.get(re.sub(r"/\d+$", "/<id>", by_side[side][0]), "?"),
            )
            rate, p50, p95, sql = summary[side]
            print(
                f"{kind:4} {side}: {rate:6.1f} pages/s, p50 {p50:5.0f} ms, "
                f"p95 {p95:5.0f} ms, {sql} SQL queries per page"
            )
        if len(summary) == 2:
            ours, peer = summary["ours"], summary["peer"]
            print(
                f"{kind:4} ratio ours/peer: throughput {ours[0] / peer[0]:.2f}, "
                f"p95 {ours[2] / peer[2]:.2f}, p50 {ours[1] / peer[1]:.2f}"
            )
    print(f"load average at the end: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
