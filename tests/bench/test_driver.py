"""The load driver of `make bench`: its statistics on small numbers, and real runs against a
small HTTP server on loopback (a page that works, one that is missing, one that fails)."""

import json
import random
import statistics
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.driver import PageResult, drive, percentile, report, run, table, write


def test_percentile_interpolates_between_ranks():
    values = [float(n) for n in range(1, 11)]
    assert percentile(values, 50) == 5.5
    assert percentile(values, 95) == pytest.approx(9.55)
    assert percentile(values, 0) == 1.0
    assert percentile(values, 100) == 10.0
    assert percentile([7.0], 95) == 7.0
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0  # order does not matter
    assert percentile([], 50) is None
    with pytest.raises(ValueError, match="between 0 and 100"):
        percentile(values, 101)


def test_percentile_agrees_with_the_standard_library():
    rng = random.Random(7)
    for size in (2, 3, 20, 101):
        values = [rng.expovariate(1 / 20) for _ in range(size)]
        cuts = statistics.quantiles(values, n=100, method="inclusive")
        assert percentile(values, 50) == pytest.approx(cuts[49])
        assert percentile(values, 95) == pytest.approx(cuts[94])


def test_page_summary_counts_non_2xx_and_failures_as_errors_and_compares_with_bare():
    page = PageResult(name="search", path="/s/", clients=2, seconds=2.0)
    page.statuses.update({200: 8, 404: 1, 500: 1})
    page.failures = 1
    page.latencies = [0.010, 0.020, 0.030, 0.040]
    summary = page.summary(bare_rps=10.0)
    assert summary["ok"] == 8
    assert summary["errors"] == 3
    assert summary["requests"] == 11
    assert summary["requests_per_second"] == 4.0
    assert summary["ratio_to_bare"] == 0.4
    assert summary["p50_ms"] == 25.0
    assert summary["p95_ms"] == pytest.approx(38.5)
    assert summary["statuses"] == {"200": 8, "404": 1, "500": 1}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like a real server
    flaky_count = 0
    numbered: list[str] = []

    def do_GET(self):
        if self.path == "/ok":
            self.answer(200, b"ok")
        elif self.path.startswith("/numbered?v="):
            Handler.numbered.append(self.path)
            self.answer(200, b"ok")
        elif self.path == "/flaky":
            # The first answer (the probe) is fine; after that every other one fails.
            Handler.flaky_count += 1
            self.answer(500 if Handler.flaky_count % 2 == 0 else 200, b"maybe")
        else:
            self.answer(404, b"missing")

    def answer(self, status, body):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def test_drive_runs_concurrent_clients_for_the_given_time(server):
    result = drive("127.0.0.1", server, "/ok", name="bare", clients=3, seconds=0.5)
    assert result.ok > 10
    assert result.errors == 0
    assert 0.5 <= result.seconds < 2
    assert len(result.latencies) == result.ok
    assert result.ms(50) <= result.ms(95)


def test_run_reports_missing_pages_and_errors_without_crashing(server, tmp_path):
    messages = []
    results = run(
        "127.0.0.1",
        server,
        [("bare", "/ok"), ("search", "/missing"), ("flaky", "/flaky")],
        clients=2,
        seconds=0.3,
        warmup=0.1,
        log=messages.append,
    )
    figures = report(results, meta={"users": 0})
    pages = {page["name"]: page for page in figures["pages"]}
    assert pages["bare"]["ratio_to_bare"] == 1.0
    assert "404" in pages["search"]["unavailable"]
    assert pages["search"]["ratio_to_bare"] is None
    assert pages["search"]["errors"] == 1
    assert pages["search"]["statuses"] == {"404": 1}
    assert figures["search_targets"]["met"] is None
    assert pages["flaky"]["errors"] > 0
    assert pages["flaky"]["statuses"]["500"] > 0
    printed = table(figures)
    assert "not measured: answered 404" in printed
    assert "errors by status" in printed
    assert any("not measured" in message for message in messages)

    path = write(figures, tmp_path)
    assert json.loads(path.read_text()) == json.loads((tmp_path / "latest.json").read_text())
    assert path.name.startswith("results-")


def test_search_targets_are_judged_from_p95_ratio_and_errors():
    bare = PageResult(name="bare", path="/b", seconds=1.0)
    bare.statuses[200] = 100
    search = PageResult(name="search", path="/s", seconds=1.0, latencies=[0.05] * 20)
    search.statuses[200] = 20
    assert report([bare, search])["search_targets"]["met"] is True
    search.latencies = [0.05] * 18 + [0.2] * 2
    assert report([bare, search])["search_targets"]["met"] is False


def test_drive_stays_on_loopback_and_within_bounds():
    with pytest.raises(ValueError, match="loopback"):
        drive("example.com", 80, "/", clients=1, seconds=1)
    with pytest.raises(ValueError, match="clients"):
        drive("127.0.0.1", 80, "/", clients=1000, seconds=1)
    with pytest.raises(ValueError, match="clients"):
        drive("127.0.0.1", 80, "/", clients=1, seconds=3600)


def test_drive_numbers_each_request_when_the_path_asks(server):
    Handler.numbered = []
    result = drive("127.0.0.1", server, "/numbered?v={n}", clients=3, seconds=0.3)
    assert result.ok == len(Handler.numbered) > 3
    assert len(set(Handler.numbered)) == len(Handler.numbered)  # no address twice


def test_exchange_pages_are_judged_like_the_search_and_printed():
    bare = PageResult(name="bare", path="/b", seconds=1.0)
    bare.statuses[200] = 100
    round_page = PageResult(name="exchange-round", path="/exchange/2090/", seconds=1.0)
    round_page.statuses[200] = 20
    round_page.latencies = [0.05] * 20
    proposal = PageResult(name="exchange-proposal", path="/exchange/proposals/x/", seconds=1.0)
    proposal.statuses[200] = 10  # 10% of the bare view's throughput: below the 15% target
    proposal.latencies = [0.05] * 10
    other = PageResult(name="home", path="/", seconds=1.0, latencies=[0.5])
    other.statuses[200] = 1
    figures = report([bare, round_page, proposal, other])
    targets = figures["targets"]
    assert set(targets) == {"exchange-round", "exchange-proposal"}  # no search page here
    assert "search_targets" not in figures
    assert targets["exchange-round"]["met"] is True
    assert targets["exchange-proposal"]["met"] is False
    assert targets["exchange-proposal"]["ratio_to_bare"] == 0.1
    printed = table(figures)
    assert "Exchange round page (2,000 proposals) targets met" in printed
    assert "Exchange proposal page (300 comments) targets NOT met" in printed
    round_page.statuses[500] = 1  # one error is enough to miss the targets
    assert report([bare, round_page])["targets"]["exchange-round"]["met"] is False


def test_an_unavailable_exchange_page_is_reported_not_judged():
    bare = PageResult(name="bare", path="/b", seconds=1.0)
    bare.statuses[200] = 100
    missing = PageResult(name="exchange-round", path="/exchange/1/", unavailable="answered 404")
    missing.statuses[404] = 1
    figures = report([bare, missing])
    assert figures["targets"]["exchange-round"] == {"met": None, "why": "answered 404"}
    assert "Exchange round page (2,000 proposals) targets: not measured" in table(figures)
