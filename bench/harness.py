#!/usr/bin/env python3
"""Side-by-side HTTP benchmark: Jirga, Isso 0.14 and a ceiling that returns Jirga's own bytes.

Run from the repository root:  bench/run   (or: python3 bench/harness.py [--duration S] [--reps N])

It builds Jirga in release mode, seeds the same 200-comment thread (20 top-level, the rest
replies at depths 1-2, 200-600 characters of Markdown each, generated from a fixed seed) into
Jirga and into Isso, and runs wrk on 127.0.0.1 against: the full thread, the first page
(10 top-level with up to 5 replies each), counts for 20 threads, and POST of new comments
(moderation on in Jirga). Concurrency 1, 16, 64; each run bounded by --duration; medians over
--reps. Prints a Markdown table and writes it to bench/results/. Needs wrk (Debian) and a
virtualenv with isso and gunicorn (made under target/bench-venv if missing).
"""
import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.path.join(ROOT, "target")
WORDS = ("flood warning river valley council district gauge office alert residents budget grant "
         "siren control room upstream villages data public water level rain night hours minutes "
         "sandbags roads closures plan agreement review staff costs share homes risk season "
         "monitoring text message office station early clear reliable weather forecast").split()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return
        except Exception:
            time.sleep(0.1)
    raise SystemExit(f"nothing answered at {url}")


def http(method, url, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def markdown_body(rng):
    """200-600 characters of Markdown from a fixed vocabulary."""
    target = rng.randint(200, 600)
    sentences = []
    while sum(len(s) + 1 for s in sentences) < target:
        words = [rng.choice(WORDS) for _ in range(rng.randint(6, 14))]
        if rng.random() < 0.2:
            words[1] = f"*{words[1]}*"
        if rng.random() < 0.1:
            words[2] = f"[{words[2]}](https://example.org/{words[2]})"
        sentences.append(" ".join(words).capitalize() + ".")
    text = " ".join(sentences)[:target].rsplit(" ", 1)[0] + "."
    if rng.random() < 0.15:
        text = "> " + text
    return text


def thread_plan():
    """(index, parent index or None, body): 20 top-level, 180 replies at depths 1-2."""
    rng = random.Random(2026)
    plan, depth = [], []
    for i in range(200):
        if i < 20:
            parent = None
        else:
            parent = rng.choice([j for j in range(i) if depth[j] <= 1])
        depth.append(0 if parent is None else depth[parent] + 1)
        plan.append((i, parent, markdown_body(rng)))
    return plan


def rss_kib(pids):
    total = 0
    for pid in pids:
        try:
            for line in open(f"/proc/{pid}/status"):
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total


def children(pid):
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(p) for p in out]


WRK_LUA_POST = """
counter = 0
request = function()
  counter = counter + 1
  local body = string.format(BODY, counter, counter)
  return wrk.format("POST", PATH, {["Content-Type"] = "application/json"}, body)
end
"""

WRK_LUA_BODY = """
request = function()
  return wrk.format("POST", PATH, {["Content-Type"] = "application/json"}, BODY)
end
"""


def lua(script, **values):
    for k, v in values.items():
        script = script.replace(k, json.dumps(v) if not isinstance(v, str) else "[[" + v + "]]")
    f = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    f.write(script)
    f.close()
    return f.name


def wrk(url, conns, duration, script=None):
    cmd = ["wrk", "-t", str(min(conns, 2)), "-c", str(conns), "-d", f"{duration}s", "--latency", "--timeout", "5s"]
    if script:
        cmd += ["-s", script]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=duration + 30).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    def lat(p):
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)\b", out)
        if not m:
            return float("nan")
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
    errors = 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m:
        errors += int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        errors += sum(int(x) for x in m.groups())
    return rps, lat(50), lat(99), errors


def start_jirga(work, cache=True, bin_=None, name="jirga"):
    data = os.path.join(work, name)
    bin_ = bin_ or os.path.join(TARGET, "release", "jirga")
    out = subprocess.run([bin_, "site", "add", "bench", "--name", "Bench", "--data", data], capture_output=True, text=True, check=True).stdout
    key = out.strip().rsplit(" ", 1)[-1]
    port = free_port()
    cfg = os.path.join(work, f"{name}.toml")
    with open(cfg, "w") as f:
        f.write(f'addr = "127.0.0.1:{port}"\ndata = "{data}"\nread_cache = {str(cache).lower()}\n'
                '[rate_limits]\nposts_per_minute = 100000000\nactions_per_minute = 100000000\n')
    proc = subprocess.Popen([bin_, "serve", "--config", cfg], stdout=subprocess.DEVNULL, env={**os.environ, "RUST_LOG": "error"})
    base = f"http://127.0.0.1:{port}"
    wait_for(base + "/healthz")
    return proc, base, key


def start_isso(work, venv):
    port = free_port()
    cfg = os.path.join(work, "isso.cfg")
    with open(cfg, "w") as f:
        f.write(f"[general]\ndbpath = {work}/isso.db\nhost = http://127.0.0.1:{port}/\n"
                f"[moderation]\nenabled = false\n[guard]\nenabled = false\n"
                f"[server]\nlisten = http://127.0.0.1:{port}/\n")
    proc = subprocess.Popen([os.path.join(venv, "bin", "gunicorn"), "-w", "4", "--preload", "-b", f"127.0.0.1:{port}", "isso.run"],
                            env={**os.environ, "ISSO_SETTINGS": cfg}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_for(base + "/info")
    return proc, base


def ensure_venv():
    venv = os.path.join(TARGET, "bench-venv")
    if not os.path.exists(os.path.join(venv, "bin", "gunicorn")):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([os.path.join(venv, "bin", "pip"), "install", "-q", "isso==0.14.0", "gunicorn"], check=True)
    return venv


def seed_jirga(base, key, article, plan):
    """The thread under test, 20 counted threads and the write thread; how many were held."""
    for t in ["/t/read", "/t/write"] + [f"/t/c{i}" for i in range(20)]:
        s, _ = http("PUT", base + "/api/v1/threads", {"site": "bench", "key": t, "title": "Flood warnings", "text": article},
                    {"Authorization": f"Bearer {key}"})
        assert s == 200, s
    ids, held = {}, 0
    for i, parent, body in plan:
        s, b = http("POST", base + "/api/v1/comments", {"site": "bench", "thread": "/t/read", "parent_id": ids.get(parent),
                                                        "body": body, "author": {"name": f"reader{i % 37}"}})
        assert s == 201, (s, b)
        r = json.loads(b)
        ids[i] = r["comment"]["id"]
        held += r["status"] != "published"
    for i in range(20):
        http("POST", base + "/api/v1/comments", {"site": "bench", "thread": f"/t/c{i}", "body": f"Counted comment number {i} on the flood warnings.", "author": {"name": "c"}})
    return held


def write_before_after(results, targets, args, comments):
    lines = [f"# HTTP benchmark, before and after, {time.strftime('%Y-%m-%d')}", "",
             f"`bench/run --baseline {args.baseline}` (wrk, {args.reps} runs of {args.duration} s per cell, medians), "
             f"{os.cpu_count()}-core {os.uname().machine}, loopback; both builds seeded with the same {comments}-comment thread "
             "and measured in the same run, one after the other per cell.", "",
             "| request | conc. | after req/s | before req/s | after / before | after p99 ms | before p99 ms | ceiling req/s | after / ceiling | before / ceiling |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for endpoint in targets:
        for conns in (1, 16, 64):
            a, b, c = (results[(endpoint, conns, n)] for n in ("jirga", "before", "ceiling"))
            lines.append(f"| {endpoint} | {conns} | {a[0]:.0f} | {b[0]:.0f} | {a[0] / b[0]:.3f} | {a[2]:.2f} | {b[2]:.2f} | {c[0]:.0f} | "
                         f"{a[0] / c[0]:.2f} | {b[0] / c[0]:.2f} |")
    report = "\n".join(lines) + "\n"
    print(report)
    os.makedirs(os.path.join(ROOT, "bench", "results"), exist_ok=True)
    with open(os.path.join(ROOT, "bench", "results", "http-before-after.md"), "w") as f:
        f.write(report)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=int, default=3)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--no-cache", action="store_true", help="run Jirga with its read cache off")
    ap.add_argument("--baseline", metavar="BIN",
                    help="also run this earlier jirga binary on the same load, in the same run, and write "
                         "results/http-before-after.md (build it with: git worktree add /tmp/b REV && "
                         "cargo build --release -p jirga in /tmp/b)")
    ap.add_argument("--no-isso", action="store_true", help="leave Isso out (shorter before/after runs)")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "jirga", "-p", "jirga-bench", "--bin", "jirga", "--bin", "ceiling"], cwd=ROOT, check=True)
    venv = None if args.no_isso else ensure_venv()
    work = tempfile.mkdtemp(prefix="jirga-bench-")
    procs = []
    try:
        jirga, jbase, key = start_jirga(work, cache=not args.no_cache)
        procs.append(jirga)
        before = None
        if args.baseline:
            before, bbase, bkey = start_jirga(work, cache=not args.no_cache, bin_=args.baseline, name="before")
            procs.append(before)
        isso, ibase = (None, "http://isso.unused") if args.no_isso else start_isso(work, venv)
        if isso:
            procs.append(isso)

        article = "Flood warnings for the river valley. " + " ".join(WORDS) + "."
        plan = thread_plan()
        held = seed_jirga(jbase, key, article, plan)
        if before:
            seed_jirga(bbase, bkey, article, plan)
        if isso:
            iids = {}
            for i, parent, body in plan:
                s, b = http("POST", ibase + "/new?uri=%2Ft%2Fread", {"text": body, "author": f"reader{i % 37}", "parent": iids.get(parent), "title": "Flood warnings"})
                assert s in (200, 201, 202), (s, b)
                iids[i] = json.loads(b)["id"]
            for i in range(20):
                http("POST", ibase + f"/new?uri=%2Ft%2Fc{i}", {"text": f"Counted comment number {i}.", "author": "c", "title": "t"})
        time.sleep(1)
        idle_rss = rss_kib([jirga.pid])

        counts_q = "&".join(f"thread=/t/c{i}" for i in range(20))
        jurls = {
            "full thread": jbase + "/api/v1/comments?site=bench&thread=/t/read&limit=50&replies=100&depth=10",
            "first page": jbase + "/api/v1/comments?site=bench&thread=/t/read&limit=10&replies=5&depth=2",
            "counts (20 threads)": jbase + "/api/v1/counts?site=bench&" + counts_q,
        }
        ceiling_dir = os.path.join(work, "ceiling")
        os.makedirs(ceiling_dir)
        for name, file in [("full thread", "full.json"), ("first page", "page.json"), ("counts (20 threads)", "counts.json")]:
            with open(os.path.join(ceiling_dir, file), "wb") as f:
                f.write(urllib.request.urlopen(jurls[name]).read())
        s, b = http("POST", jbase + "/api/v1/comments", {"site": "bench", "thread": "/t/write", "body": "A fresh comment about the flood warning office and its budget.", "author": {"name": "w"}})
        with open(os.path.join(ceiling_dir, "post.json"), "wb") as f:
            f.write(b)
        cport = free_port()
        ceiling = subprocess.Popen([os.path.join(TARGET, "release", "ceiling"), f"127.0.0.1:{cport}", ceiling_dir], stdout=subprocess.DEVNULL)
        procs.append(ceiling)
        cbase = f"http://127.0.0.1:{cport}"
        wait_for(cbase + "/full")

        post_body = '{"site": "bench", "thread": "/t/write", "body": "Comment %d on the flood warning office: the gauges and the sirens should be tested every season, and the budget for staff reviewed (%d).", "author": {"name": "load"}}'
        isso_post = '{"text": "Comment %d on the flood warning office: the gauges and the sirens should be tested every season (%d).", "author": "load", "title": "t"}'
        targets = {
            "full thread": [("jirga", jurls["full thread"], None), ("isso", ibase + "/?uri=%2Ft%2Fread", None), ("ceiling", cbase + "/full", None)],
            "first page": [("jirga", jurls["first page"], None), ("isso", ibase + "/?uri=%2Ft%2Fread&limit=10&nested_limit=5", None), ("ceiling", cbase + "/page", None)],
            "counts (20 threads)": [("jirga", jurls["counts (20 threads)"], None),
                                    ("isso", ibase + "/count", lua(WRK_LUA_BODY, PATH="/count", BODY=json.dumps([f"/t/c{i}" for i in range(20)]))),
                                    ("ceiling", cbase + "/counts", None)],
            "POST comment": [("jirga", jbase + "/api/v1/comments", lua(WRK_LUA_POST, PATH="/api/v1/comments", BODY=post_body)),
                             ("isso", ibase + "/new?uri=%2Ft%2Fwrite", lua(WRK_LUA_POST, PATH="/new?uri=%2Ft%2Fwrite", BODY=isso_post)),
                             ("ceiling", cbase + "/post", lua(WRK_LUA_BODY, PATH="/post", BODY="{}"))],
        }
        if before:
            for endpoint, runs in targets.items():
                url = runs[0][1].replace(jbase, bbase)
                runs.insert(1, ("before", url, runs[0][2]))
        if not isso:
            for runs in targets.values():
                runs[:] = [r for r in runs if r[0] != "isso"]
        results = {}
        for endpoint, runs in targets.items():
            for conns in (1, 16, 64):
                for name, url, script in runs:
                    samples = [wrk(url, conns, args.duration, script) for _ in range(args.reps)]
                    results[(endpoint, conns, name)] = (
                        statistics.median(s[0] for s in samples),
                        statistics.median(s[1] for s in samples),
                        statistics.median(s[2] for s in samples),
                        sum(s[3] for s in samples),
                    )
                    r = results[(endpoint, conns, name)]
                    print(f"{endpoint:22} c={conns:<3} {name:8} {r[0]:10.0f} req/s  p50 {r[1]:7.2f} ms  p99 {r[2]:7.2f} ms  errors {r[3]}", file=sys.stderr)
        loaded_rss = rss_kib([jirga.pid])
        if before:
            write_before_after(results, targets, args, len(plan))
        if not isso:
            return
        isso_rss = rss_kib([isso.pid] + children(isso.pid))

        lines = [f"# HTTP benchmark, {time.strftime('%Y-%m-%d')}", "",
                 f"`bench/run` (wrk, {args.reps} runs of {args.duration} s per cell, medians), {os.cpu_count()}-core {os.uname().machine}, loopback. "
                 f"Thread of {len(plan)} comments ({held} held by moderation at seeding); Isso 0.14 under `gunicorn -w 4 --preload`, guard and moderation off; "
                 f"the ceiling returns Jirga's response bytes from memory on the same stack."
                 + (" Jirga's read cache was OFF for this run." if args.no_cache else ""), "",
                 "| request | conc. | Jirga req/s | p50 ms | p99 ms | errors | ceiling req/s | Isso req/s | Jirga / ceiling | Jirga / Isso |",
                 "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for endpoint in targets:
            for conns in (1, 16, 64):
                j, c, i = (results[(endpoint, conns, n)] for n in ("jirga", "ceiling", "isso"))
                lines.append(f"| {endpoint} | {conns} | {j[0]:.0f} | {j[1]:.2f} | {j[2]:.2f} | {j[3]} | {c[0]:.0f} | {i[0]:.0f} | "
                             f"{j[0] / c[0]:.2f} | {j[0] / i[0] if i[0] else float('inf'):.1f} |")
        lines += ["", f"Jirga resident memory: {idle_rss / 1024:.1f} MiB idle after seeding, {loaded_rss / 1024:.1f} MiB after the load. "
                  f"Isso (4 gunicorn workers and the master) after the load: {isso_rss / 1024:.1f} MiB.", ""]
        report = "\n".join(lines)
        print(report)
        os.makedirs(os.path.join(ROOT, "bench", "results"), exist_ok=True)
        name = "http-no-cache.md" if args.no_cache else "http.md"
        with open(os.path.join(ROOT, "bench", "results", name), "w") as f:
            f.write(report)
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
