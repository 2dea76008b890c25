#!/usr/bin/python3
"""Personal recommendations benchmark driver (run through bench/run_personal.sh).

On the real data of issue 7 (TMDB 5000 catalog + MovieLens small ratings, ../shared/catalogs) in a
fresh SQLite file: times `cinerec train` (EASE inverse, item-kNN, content and sequence lists),
runs `cinerec eval-ratings --json` (leave-last-liked-out hit@10 / NDCG@10 for every model), times
`cinerec recommend --user ID` as a command (its wall time includes opening the store and loading the
catalog snapshot) and `GET /api/users/{id}/recommendations` against `cinerec serve` on the loopback
(one keep-alive connection, every evaluated user, several rounds). Writes the JSON results and the
table in docs/PERSONAL.md between <!-- personal:begin --> and <!-- personal:end -->."""
import argparse
import datetime
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

from bench_support import cpu_model, latency_summary, replace_section

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# The simple references' hit@10 quoted by issue 7 for this protocol, and its target for the hybrid.
ISSUE_REFERENCE = {"popularity": 0.05, "content": 0.04, "item-knn": 0.10, "ease": 0.14}
TARGET_HIT_AT_10 = 0.18


class Cinerec:
    def __init__(self, binary, db):
        self.binary, self.db = binary, db

    def run(self, *args):
        proc = subprocess.run([self.binary, "--db", self.db, *map(str, args)], capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(f"cinerec {' '.join(map(str, args))} failed ({proc.returncode}):\n{proc.stderr}")
        return proc.stdout


def time_training(cinerec, rounds):
    seconds = []
    for _ in range(rounds):
        out = cinerec.run("train")
        m = re.search(r"in ([0-9.]+) s", out)
        if not m:
            sys.exit(f"unexpected output of cinerec train: {out!r}")
        seconds.append(float(m.group(1)))
    return seconds


def time_cli_recommend(cinerec, users):
    seconds = []
    for user in users:
        start = time.perf_counter()
        cinerec.run("recommend", "--user", user, "-k", 10, "--json")
        seconds.append(time.perf_counter() - start)
    return seconds


def time_api(binary, db, users, rounds):
    server = subprocess.Popen([binary, "--db", db, "serve", "--host", "127.0.0.1", "--port", "0", "--no-access-log"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not m:
            sys.exit(f"cinerec serve did not start: {line!r} {server.stderr.read() if server.poll() is not None else ''}")
        conn = http.client.HTTPConnection("127.0.0.1", int(m.group(1)), timeout=30)
        seconds = []
        for round_no in range(rounds + 1):  # round 0 warms the caches and is not counted
            for user in users:
                start = time.perf_counter()
                conn.request("GET", f"/api/users/{user}/recommendations?k=10")
                response = conn.getresponse()
                body = response.read()
                elapsed = time.perf_counter() - start
                if response.status != 200:
                    sys.exit(f"GET /api/users/{user}/recommendations: HTTP {response.status}: {body[:200]!r}")
                if round_no > 0:
                    seconds.append(elapsed)
        conn.close()
        return seconds
    finally:
        server.terminate()
        server.wait(timeout=30)


def write_markdown(path, result):
    ev = result["eval_ratings"]
    rows = ["| model | hit@10 | NDCG@10 | issue's reference hit@10 |", "|---|---:|---:|---:|"]
    for name, metrics in ev["results"].items():
        ref = ISSUE_REFERENCE.get(name)
        ref_text = f"≈ {ref:.2f}" if ref is not None else f"target ≥ {TARGET_HIT_AT_10:.2f}"
        rows.append(f"| {name} | {metrics['hit@10']:.4f} | {metrics['ndcg@10']:.4f} | {ref_text} |")
    t, cli, api = result["train_seconds"], result["cli_recommend"], result["api_recommend"]
    hybrid = ev["results"]["hybrid"]["hit@10"]
    block = "\n".join([
        f"Run of {result['started']} (`bash bench/run_personal.sh`), {result['cpu']}, {result['cores']} cores, "
        f"load average at start {' '.join(result['load_average'])}. Data: {ev['items']} TMDB 5000 movies, "
        f"{ev['ratings']} MovieLens ratings of catalog films, {ev['users']} users evaluated "
        "(leave-last-liked-out).",
        "",
        *rows,
        "",
        f"Hybrid hit@10 {hybrid:.4f} against the target {TARGET_HIT_AT_10:.2f}: "
        f"**{'met' if hybrid >= TARGET_HIT_AT_10 else 'missed'}**.",
        "",
        "| operation | calls | p50 ms | p99 ms | mean ms |",
        "|---|---:|---:|---:|---:|",
        f"| `cinerec train` (whole model, all {ev['ratings']} ratings) | {len(t)} | {statistics.median(t) * 1000:.0f} | "
        f"{max(t) * 1000:.0f} | {statistics.fmean(t) * 1000:.0f} |",
        f"| `GET /api/users/{{id}}/recommendations?k=10` (loopback, keep-alive) | {api['calls']} | {api['p50_ms']:.3f} | "
        f"{api['p99_ms']:.3f} | {api['mean_ms']:.3f} |",
        f"| `cinerec recommend --user ID -k 10 --json` (process wall time) | {cli['calls']} | {cli['p50_ms']:.1f} | "
        f"{cli['p99_ms']:.1f} | {cli['mean_ms']:.1f} |",
    ])
    with open(path, encoding="utf-8") as f:
        doc = f.read()
    with open(path, "w", encoding="utf-8") as f:
        f.write(replace_section(doc, "personal", block))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", required=True)
    ap.add_argument("--catalogs", required=True, help="directory with tmdb5000/ and movielens-small/")
    ap.add_argument("--train-rounds", type=int, default=3)
    ap.add_argument("--api-rounds", type=int, default=3)
    ap.add_argument("--cli-users", type=int, default=20)
    ap.add_argument("--json", required=True)
    ap.add_argument("--markdown")
    args = ap.parse_args()

    started = datetime.datetime.now(datetime.timezone.utc)
    result = {"started": started.strftime("%Y-%m-%d %H:%M UTC"), "cpu": cpu_model(), "cores": os.cpu_count(),
              "load_average": [f"{x:.2f}" for x in os.getloadavg()]}
    with tempfile.TemporaryDirectory() as tmp:
        cinerec = Cinerec(args.binary, os.path.join(tmp, "personal.db"))
        cinerec.run("import", os.path.join(args.catalogs, "tmdb5000", "tmdb_5000_movies.csv"))
        ml = os.path.join(args.catalogs, "movielens-small")
        cinerec.run("import-ratings", os.path.join(ml, "ratings.csv"), "--links", os.path.join(ml, "links.csv"),
                    "--no-train")
        print("timing cinerec train", file=sys.stderr)
        result["train_seconds"] = time_training(cinerec, args.train_rounds)
        print("running cinerec eval-ratings", file=sys.stderr)
        result["eval_ratings"] = json.loads(cinerec.run("eval-ratings", "--json"))
        users = sorted({row.split(",")[0] for row in open(os.path.join(ml, "ratings.csv"), encoding="utf-8")
                        if row[:1].isdigit()}, key=int)
        print(f"timing the API for {len(users)} users", file=sys.stderr)
        result["api_recommend"] = latency_summary(time_api(args.binary, cinerec.db, users, args.api_rounds))
        print("timing cinerec recommend --user", file=sys.stderr)
        result["cli_recommend"] = latency_summary(time_cli_recommend(cinerec, users[:args.cli_users]))
    result["issue_reference_hit_at_10"] = ISSUE_REFERENCE
    result["target_hit_at_10"] = TARGET_HIT_AT_10
    os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
    with open(args.json, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    if args.markdown:
        write_markdown(args.markdown, result)
    json.dump({k: result[k] for k in ("train_seconds", "api_recommend", "cli_recommend")}, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
