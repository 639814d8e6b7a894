"""Requests per second under concurrent clients, against a running server (gunicorn).

    gunicorn -c gunicorn.conf.py -w 2 govinfo.wsgi          # on the bench database, DJANGO_DEBUG=0
    .venv/bin/python bench/load.py --base http://127.0.0.1:8000 --user scale-finance --clients 8

Each client logs in through the real login form (its own session), then requests one path as fast as
the server answers, for ``--seconds``. Prints, per path: requests/s, median and p95 latency, errors.
The login page is measured anonymously (GET). Standard library only (threads + urllib).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def opener_for(base: str, user: str | None, password: str):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    if user:
        page = opener.open(f"{base}/accounts/login/").read().decode()
        token = CSRF.search(page).group(1)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": user, "password": password})
        request = urllib.request.Request(
            f"{base}/accounts/login/", data=data.encode(), headers={"Referer": f"{base}/accounts/login/"}
        )
        final = opener.open(request)
        if "/accounts/login/" in final.geturl():
            raise SystemExit(f"login as {user} failed")
    return opener


def run(base: str, path: str, user: str | None, password: str, clients: int, seconds: float) -> dict:
    openers = [opener_for(base, user, password) for _ in range(clients)]
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client(opener):
        mine, failed = [], 0
        while time.perf_counter() < stop:
            started = time.perf_counter()
            try:
                with opener.open(f"{base}{path}", timeout=60) as response:
                    response.read()
                    if response.status != 200 or (user and "/accounts/login/" in response.geturl()):
                        failed += 1
            except Exception:
                failed += 1
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(opener,)) for opener in openers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "path": path,
        "rps": len(latencies) / elapsed,
        "median_ms": statistics.median(latencies) * 1000 if latencies else 0,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000 if latencies else 0,
        "errors": errors[0],
        "requests": len(latencies),
        "latencies": latencies,
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="scale-finance")
    parser.add_argument("--password", default="scale-bench-2026")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30, help="per path, over all rounds")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("paths", nargs="*", default=["/accounts/login/", "/projects/", "/"])
    args = parser.parse_args(argv)
    # The paths take turns, --rounds times, each for --seconds / --rounds: on a shared machine whose load
    # drifts, every path then sees the same drift and the ratios hold.
    totals: dict[str, dict] = {}
    for _round in range(args.rounds):
        for path in args.paths:
            user = None if path.startswith("/accounts/login") else args.user
            r = run(
                args.base.rstrip("/"), path, user, args.password, args.clients, args.seconds / args.rounds
            )
            t = totals.setdefault(path, {"path": path, "elapsed": 0.0, "requests": 0, "errors": 0, "lat": []})
            t["elapsed"] += r["requests"] / r["rps"] if r["rps"] else 0
            t["requests"] += r["requests"]
            t["errors"] += r["errors"]
            t["lat"] += r["latencies"]
    results = []
    for t in totals.values():
        lat = sorted(t["lat"])
        results.append(
            {
                "path": t["path"],
                "rps": t["requests"] / t["elapsed"] if t["elapsed"] else 0,
                "median_ms": statistics.median(lat) * 1000 if lat else 0,
                "p95_ms": lat[int(len(lat) * 0.95) - 1] * 1000 if lat else 0,
                "errors": t["errors"],
                "requests": t["requests"],
            }
        )
    login = next((r["rps"] for r in results if r["path"].startswith("/accounts/login")), None)
    for r in results:
        share = f" {100 * r['rps'] / login:5.1f}% of login" if login else ""
        print(
            f"{r['path']:<24} {r['rps']:8.1f} req/s  median {r['median_ms']:7.1f} ms  "
            f"p95 {r['p95_ms']:7.1f} ms  errors {r['errors']}/{r['requests']}{share}"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
