"""Reads the per-request results of a constant-rate run and prints "p50ms p99ms p999ms requests errors".

  latency_profile.py vegeta RESULTS.csv     (vegeta encode --to csv)
  latency_profile.py ghz REPORT.json        (ghz --rps ... --format json, whose "details" list every call)

Both tools schedule requests at the given rate and time each one from its scheduled start, so a stalled
server shows up in the tail instead of lowering the rate (no coordinated omission). The percentiles are
exact (nearest rank over every successful request); failures are counted, not timed.
"""
import csv
import json
import math
import sys


def vegeta(path):
    latencies, errors = [], 0
    with open(path, newline="") as f:
        # timestamp, code, latency (ns), bytes out, bytes in, error, body, attack name, seq, method, url, headers
        for row in csv.reader(f):
            if row[1].startswith("2") and not row[5]:
                latencies.append(int(row[2]))
            else:
                errors += 1
    return latencies, errors


def ghz(path):
    with open(path) as f:
        report = json.load(f)
    latencies, errors = [], 0
    for call in report.get("details") or []:
        if call.get("status") == "OK" and not call.get("error"):
            latencies.append(int(call["latency"]))
        else:
            errors += 1
    return latencies, errors


def percentile(ordered, p):
    if not ordered:
        return float("nan")
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def main(kind, path):
    latencies, errors = {"vegeta": vegeta, "ghz": ghz}[kind](path)
    latencies.sort()
    p50, p99, p999 = (percentile(latencies, p) / 1e6 for p in (50, 99, 99.9))
    print("%.3f %.3f %.3f %d %d" % (p50, p99, p999, len(latencies), errors))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
