"""A small HTTP load driver for `make bench`: N concurrent clients for S seconds per page.

    python -m bench.driver --port 8123 --page bare=/bench/bare/ --page home=/ --seconds 30

Each client is a thread with its own keep-alive connection (http.client reopens it when the
server closes it, as gunicorn's sync workers do after every response). Loopback only; the number
of clients and the time are bounded. Any answer other than 2xx, and any failed connection,
counts as an error and is reported. A page that does not answer 2xx to a first probe is reported
as unavailable rather than loaded for the whole run (for example a page not built yet).

A `{n}` in a path is replaced by a number that differs for every request, so a page can be
measured without help from caches keyed by the address (the directory's result cache):
`/directory/?q=safety&v={n}` computes a fresh result every time.

Latencies are measured per request from sending to the last byte of the body. Throughput is
successful requests per second of wall-clock time, and each page's throughput is also given as
a share of the bare view's, since machines differ but the ratio travels.
"""

import argparse
import datetime as dt
import http.client
import itertools
import json
import math
import os
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

LOOPBACK = ("127.0.0.1", "localhost", "::1")
MAX_CLIENTS = 256
MAX_SECONDS = 600
# The issues' targets: directory search at 100,000 users; a Q Exchange round's page with 2,000
# proposals and a proposal page with 300 comments. Each: p95 under 100 ms and at least 15% of
# the bare view's throughput, with no errors.
SEARCH_P95_TARGET_MS = 100.0
SEARCH_RATIO_TARGET = 0.15
TARGET_PAGES = {
    "search": "Directory search",
    "exchange-round": "Exchange round page (2,000 proposals)",
    "exchange-proposal": "Exchange proposal page (300 comments)",
}


def percentile(values: list[float], pct: float) -> float | None:
    """The pct-th percentile (0-100) with linear interpolation between the closest ranks, as
    numpy's default does; None for no values."""
    if not values:
        return None
    if not 0 <= pct <= 100:
        raise ValueError("pct must be between 0 and 100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class PageResult:
    name: str
    path: str
    clients: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list, repr=False)  # seconds, 2xx only
    statuses: Counter = field(default_factory=Counter)
    failures: int = 0  # connection errors and timeouts
    unavailable: str = ""

    @property
    def ok(self) -> int:
        return sum(n for status, n in self.statuses.items() if 200 <= status < 300)

    @property
    def errors(self) -> int:
        return sum(self.statuses.values()) - self.ok + self.failures

    @property
    def rps(self) -> float:
        return self.ok / self.seconds if self.seconds > 0 else 0.0

    def ms(self, pct: float) -> float | None:
        value = percentile(self.latencies, pct)
        return None if value is None else value * 1000

    def summary(self, bare_rps: float | None) -> dict:
        ratio = self.rps / bare_rps if bare_rps and not self.unavailable else None
        return {
            "name": self.name,
            "path": self.path,
            "clients": self.clients,
            "seconds": round(self.seconds, 3),
            "requests": sum(self.statuses.values()) + self.failures,
            "ok": self.ok,
            "errors": self.errors,
            "statuses": {str(status): n for status, n in sorted(self.statuses.items())},
            "connection_failures": self.failures,
            "requests_per_second": round(self.rps, 1),
            "p50_ms": _round(self.ms(50)),
            "p95_ms": _round(self.ms(95)),
            "ratio_to_bare": None if ratio is None else round(ratio, 4),
            "unavailable": self.unavailable or None,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _request(conn: http.client.HTTPConnection, path: str) -> int:
    conn.request("GET", path, headers={"User-Agent": "q-community-bench"})
    response = conn.getresponse()
    response.read()
    return response.status


def probe(host: str, port: int, path: str, timeout: float = 10.0) -> tuple[int | None, str]:
    """The status of one request to `path` and, unless it is 2xx, why the page cannot be
    benchmarked (status None when nothing answered)."""
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        status = _request(conn, path)
    except (OSError, http.client.HTTPException) as error:
        return None, f"no answer ({error.__class__.__name__}: {error})"
    finally:
        conn.close()
    if 200 <= status < 300:
        return status, ""
    if status == 404:
        return status, "answered 404 Not Found (is the page built in this branch?)"
    return status, f"answered {status}"


def drive(
    host: str,
    port: int,
    path: str,
    *,
    name: str = "",
    clients: int,
    seconds: float,
    timeout: float = 10.0,
) -> PageResult:
    """`clients` threads request `path` back to back for `seconds`; returns what they saw."""
    if host not in LOOPBACK:
        raise ValueError("the driver only talks to loopback addresses")
    if not 1 <= clients <= MAX_CLIENTS or not 0 < seconds <= MAX_SECONDS:
        raise ValueError(f"clients must be 1-{MAX_CLIENTS} and seconds 0-{MAX_SECONDS}")
    result = PageResult(name=name or path, path=path, clients=clients)
    lock = threading.Lock()
    start_line = threading.Barrier(clients + 1)
    deadline = [0.0]
    numbers = itertools.count(1)  # next() on a count is atomic under the GIL

    def client() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
        latencies: list[float] = []
        statuses: Counter = Counter()
        failures = 0
        start_line.wait()
        try:
            while (started := time.perf_counter()) < deadline[0]:
                try:
                    status = _request(conn, path.replace("{n}", str(next(numbers))))
                except (OSError, http.client.HTTPException):
                    failures += 1
                    conn.close()
                    continue
                statuses[status] += 1
                if 200 <= status < 300:
                    latencies.append(time.perf_counter() - started)
        finally:
            conn.close()
            with lock:
                result.latencies.extend(latencies)
                result.statuses.update(statuses)
                result.failures += failures

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline[0] = began + seconds
    start_line.wait()
    for thread in threads:
        thread.join(seconds + timeout + 5)
    result.seconds = time.perf_counter() - began
    return result


def run(
    host: str,
    port: int,
    pages: list[tuple[str, str]],
    *,
    clients: int,
    seconds: float,
    warmup: float,
    bare: str = "bare",
    log=print,
) -> list[PageResult]:
    """Benchmark each (name, path) in turn: probe, warm up briefly, then measure."""
    results = []
    for name, path in pages:
        log(f"  {name:<17} {path} ...")
        status, why = probe(host, port, path)
        if why:
            log(f"    not measured: {why}")
            # The probe's answer is the page's one (failed) request: it counts as an error.
            result = PageResult(name=name, path=path, unavailable=why)
            if status is None:
                result.failures = 1
            else:
                result.statuses[status] = 1
            results.append(result)
            continue
        if warmup > 0:
            drive(host, port, path, clients=clients, seconds=warmup)
        results.append(drive(host, port, path, name=name, clients=clients, seconds=seconds))
    if not any(result.name == bare for result in results):
        raise ValueError(f"no page named {bare!r} to compare with")
    return results


def report(results: list[PageResult], *, bare: str = "bare", meta: dict | None = None) -> dict:
    bare_result = next(result for result in results if result.name == bare)
    bare_rps = bare_result.rps if not bare_result.unavailable else None
    pages = [result.summary(bare_rps) for result in results]
    figures = {"meta": meta or {}, "pages": pages}
    targets = {page["name"]: judge(page) for page in pages if page["name"] in TARGET_PAGES}
    if targets:
        figures["targets"] = targets
    if "search" in targets:
        figures["search_targets"] = targets["search"]  # the name earlier figures used
    return figures


def judge(page: dict) -> dict:
    """Whether a page met its targets: p95 under SEARCH_P95_TARGET_MS, at least
    SEARCH_RATIO_TARGET of the bare view's throughput, and no errors."""
    if page["unavailable"] or page["p95_ms"] is None or page["ratio_to_bare"] is None:
        return {"met": None, "why": page["unavailable"] or "no data"}
    return {
        "p95_ms": page["p95_ms"],
        "p95_target_ms": SEARCH_P95_TARGET_MS,
        "ratio_to_bare": page["ratio_to_bare"],
        "ratio_target": SEARCH_RATIO_TARGET,
        "met": page["p95_ms"] < SEARCH_P95_TARGET_MS
        and page["ratio_to_bare"] >= SEARCH_RATIO_TARGET
        and page["errors"] == 0,
    }


def table(figures: dict) -> str:
    def cell(value, spec: str) -> str:
        return "-" if value is None else format(value, spec)

    lines = [
        f"{'Page':<17} {'Req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'Errors':>7} {'vs bare':>8}  Path"
    ]
    for page in figures["pages"]:
        ratio = page["ratio_to_bare"]
        lines.append(
            f"{page['name']:<17} {cell(page['requests_per_second'], '.1f'):>9} "
            f"{cell(page['p50_ms'], '.1f'):>8} {cell(page['p95_ms'], '.1f'):>8} "
            f"{page['errors']:>7} {'-' if ratio is None else format(ratio * 100, '.1f') + '%':>8}"
            f"  {page['path']}"
        )
        if page["unavailable"]:
            lines.append(f"{'':<17} not measured: {page['unavailable']}")
        elif page["errors"]:
            lines.append(f"{'':<17} errors by status: {page['statuses']}, "
                         f"connection failures: {page['connection_failures']}")  # fmt: skip
    for name, targets in figures.get("targets", {}).items():
        label = TARGET_PAGES[name]
        if targets["met"] is None:
            lines.append(f"{label} targets: not measured ({targets['why']}).")
        else:
            verdict = "met" if targets["met"] else "NOT met"
            lines.append(
                f"{label} targets {verdict}: p95 {targets['p95_ms']:.1f} ms "
                f"(under {SEARCH_P95_TARGET_MS:.0f}), {targets['ratio_to_bare'] * 100:.1f}% of "
                f"the bare view (at least {SEARCH_RATIO_TARGET * 100:.0f}%), no errors."
            )
    return "\n".join(lines)


def write(figures: dict, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = out_dir / f"results-{stamp}.json"
    text = json.dumps(figures, indent=2) + "\n"
    path.write_text(text)
    (out_dir / "latest.json").write_text(text)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--page", action="append", required=True, help="name=/path/")
    parser.add_argument("--clients", type=int, default=int(os.environ.get("BENCH_CLIENTS", "16")))
    parser.add_argument(
        "--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", "30"))
    )
    parser.add_argument("--warmup", type=float, default=None)
    parser.add_argument("--out-dir", type=Path, default=Path(".run/bench"))
    parser.add_argument("--meta", default="{}", help="JSON object stored with the figures")
    args = parser.parse_args(argv)

    pages = [tuple(item.split("=", 1)) for item in args.page]
    warmup = args.warmup if args.warmup is not None else min(2.0, args.seconds / 3)
    meta = json.loads(args.meta) | {
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "clients": args.clients,
        "seconds_per_page": args.seconds,
        "warmup_seconds": warmup,
        "cpu_count": os.cpu_count(),
    }
    print(  # noqa: T201
        f"Driving {args.clients} clients for {args.seconds:g} s per page "
        f"(after {warmup:g} s of warm-up) at http://{args.host}:{args.port}"
    )
    results = run(
        args.host,
        args.port,
        pages,
        clients=args.clients,
        seconds=args.seconds,
        warmup=warmup,
        log=lambda message: print(message, flush=True),  # noqa: T201
    )
    figures = report(results, meta=meta)
    print()  # noqa: T201
    print(table(figures))  # noqa: T201
    path = write(figures, args.out_dir)
    print(f"\nFigures written to {path} (and latest.json beside it).")  # noqa: T201
    bare = next(result for result in results if result.name == "bare")
    return 1 if bare.unavailable or bare.ok == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
