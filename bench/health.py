"""Health endpoints under load: live against a bare view; readiness's cost and its effect on pages.

A rendered default project is served by gunicorn (2 workers, production settings, PostgreSQL and
Redis on loopback). In one run:
- alternating rounds load /health/live/ and a bare view (`HttpResponse("ok")` behind the
  project's full middleware stack) from the same client threads;
- /health/ready/ is loaded from the same client threads (throughput: a storm of probes, which
  shares the latest answer once a worker has run the checks 10 times in a second), then timed
  request by request at a platform's pace (a probe every 0.25 s: each runs the checks);
- the home page is timed alone, then while 20 clients load /health/live/ (what any 20 busy
  clients cost two sync workers), then while 20 clients probe /health/ready/.
Targets: live >= 0.9x the bare view's throughput; ready >= 1,000 req/s and p99 <= 15 ms; the
home page under readiness probes no slower than under liveness probes.

    uv run python bench/health.py [--rounds 5] [--seconds 3] [--threads 8] [--probers 20]
"""

import argparse
import http.client
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.rendering import RenderCache
from tests.serving import served
from tests.variants import DEFAULT

BENCH_SETTINGS = """from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
"""
BENCH_URLS = """from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), *project_urlpatterns]
"""


def get(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def throughput(port, path, seconds, threads):
    """Requests per second that `threads` clients get answered with 200 in `seconds`."""
    counts = [0] * threads
    deadline = time.perf_counter() + seconds

    def client(index):
        while time.perf_counter() < deadline:
            if get(port, path) == 200:
                counts[index] += 1

    workers = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(counts) / (time.perf_counter() - started)


def latencies_ms(port, path, count):
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        status = get(port, path)
        samples.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
    return sorted(samples)


def paced_latencies_ms(port, path, count, interval):
    """Latencies of `count` requests to `path`, one every `interval` seconds."""
    samples = []
    for _ in range(count):
        samples += latencies_ms(port, path, 1)
        time.sleep(interval)
    return sorted(samples)


def percentile(samples, share):
    return samples[min(len(samples) - 1, int(len(samples) * share))]


def latencies_under_load(port, path, count, load_path, clients):
    """Latencies of `count` requests to `path` while `clients` threads request `load_path`."""
    stop = threading.Event()

    def load():
        while not stop.is_set():
            get(port, load_path)

    loaders = [threading.Thread(target=load) for _ in range(clients)]
    for loader in loaders:
        loader.start()
    try:
        return latencies_ms(port, path, count)
    finally:
        stop.set()
        for loader in loaders:
            loader.join()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--ready-requests", type=int, default=40)
    parser.add_argument("--ready-interval", type=float, default=0.25)
    parser.add_argument("--probers", type=int, default=20)
    parser.add_argument("--page-requests", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="shipyard-bench-") as workdir:
        project = RenderCache(Path(workdir)).synced(DEFAULT)
        (project / "bench_settings.py").write_text(BENCH_SETTINGS)
        (project / "bench_urls.py").write_text(BENCH_URLS)
        environment = {
            "DJANGO_SETTINGS_MODULE": "bench_settings",
            "REDIS_URL": "redis://127.0.0.1:6379/9",
        }
        with served(project, workers=2, **environment) as server:
            port = int(server.base_url.rsplit(":", 1)[1])
            for path in ("/health/live/", "/bench/bare/", "/health/ready/"):
                latencies_ms(port, path, 20)  # warm up both workers
            live, bare, ready_rates = [], [], []
            for _ in range(args.rounds):
                live.append(throughput(port, "/health/live/", args.seconds, args.threads))
                bare.append(throughput(port, "/bench/bare/", args.seconds, args.threads))
                ready_rates.append(throughput(port, "/health/ready/", args.seconds, args.threads))
            ready = paced_latencies_ms(
                port, "/health/ready/", args.ready_requests, args.ready_interval
            )
            home = latencies_ms(port, "/", args.page_requests)
            home_live = latencies_under_load(
                port, "/", args.page_requests, "/health/live/", args.probers
            )
            home_probed = latencies_under_load(
                port, "/", args.page_requests, "/health/ready/", args.probers
            )
    live_rps, bare_rps = statistics.median(live), statistics.median(bare)
    ready_rps = statistics.median(ready_rates)
    home_p50 = percentile(home, 0.5)
    print(f"gunicorn: 2 sync workers; {args.threads} client threads; {args.rounds} rounds each")
    print(f"/health/live/   {live_rps:8.0f} req/s (median)")
    print(f"bare view       {bare_rps:8.0f} req/s (median)")
    print(f"ratio live/bare {live_rps / bare_rps:8.2f}x   target >= 0.9x")
    print(f"/health/ready/  {ready_rps:8.0f} req/s (median)   target >= 1000")
    print(
        f"/health/ready/  p50 {percentile(ready, 0.5):.1f} ms, p99 {percentile(ready, 0.99):.1f} ms"
        f" over {len(ready)} requests, one every {args.ready_interval:g} s   target p99 <= 15 ms"
    )
    print(f"/ alone         p50 {home_p50:.1f} ms, p99 {percentile(home, 0.99):.1f} ms")
    for label, samples in (("live", home_live), ("ready", home_probed)):
        p50 = percentile(samples, 0.5)
        print(
            f"/ while {args.probers} clients load /health/{label}/: p50 {p50:.1f} ms, "
            f"p99 {percentile(samples, 0.99):.1f} ms   p50 ratio to / alone {p50 / home_p50:.2f}x"
        )


if __name__ == "__main__":
    main()
