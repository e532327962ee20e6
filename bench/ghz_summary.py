"""Reads a ghz JSON report and prints "rps p50ms p99ms errors" for the benchmarks' tables.

  ghz_summary.py REPORT.json CONCURRENCY

When a timed run (-z) ends, ghz cancels its workers and closes its own connections: the calls then in
flight fail on the client side with Canceled, or Unavailable "... use of closed network connection".
Each worker has at most one call in flight, so up to CONCURRENCY such errors are the end of the run and
not counted; more than that cannot all be, and all count.
"""
import json
import sys

END_OF_RUN = ("use of closed network connection", "the client connection is closing")


def main(report_file, concurrency):
    with open(report_file) as f:
        r = json.load(f)
    lat = {d["percentage"]: d["latency"] / 1e6 for d in r.get("latencyDistribution") or []}
    codes = r.get("statusCodeDistribution") or {}
    failed = sum(v for k, v in codes.items() if k != "OK")
    cut = sum(n for msg, n in (r.get("errorDistribution") or {}).items()
              if "code = Canceled" in msg or ("code = Unavailable" in msg and any(s in msg for s in END_OF_RUN)))
    errors = failed - cut if cut <= concurrency else failed
    if cut:
        print("ghz: %d call(s) cut off by the end of the run, not counted as errors" % cut, file=sys.stderr)
    if errors:
        # Name what failed, so that a count in the table can be told apart from calls cut off at the end.
        print("ghz status codes: %s; errors: %s" % (codes, r.get("errorDistribution")), file=sys.stderr)
    print("%.0f %.3f %.3f %d" % (r["rps"], lat.get(50, 0), lat.get(99, 0), errors))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
