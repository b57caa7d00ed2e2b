"""How fast deployer serve answers /stat with many deployments stored, and its peak memory.

Starts a real server on loopback with its own data, stores N finished deployments (default
10,000) straight into its SQLite database, then has C clients (default 4) ask GET /stat over
keep-alive connections for S seconds. Writes target/bench/serve.json and serve.md.
"""
import argparse
import http.client
import json
import os
import random
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "target", "deployer.jar")
OUT = os.path.join(ROOT, "target", "bench")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def deployer(*args, stdin=None):
    return subprocess.run(["java", "-jar", JAR, *args], input=stdin, capture_output=True, text=True, check=True)


def wait_until_up(port, process):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("serve bench: the server exited")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/deploy/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("serve bench: the server did not start")


def start(work, port):
    log = open(os.path.join(work, "server.log"), "a")
    process = subprocess.Popen(["java", "-jar", JAR, "serve", "-c", os.path.join(work, "server.yml")],
                               stdout=log, stderr=subprocess.STDOUT)
    wait_until_up(port, process)
    return process


def store(db_file, count, projects):
    db = sqlite3.connect(db_file)
    now = time.time()
    rows = []
    for i in range(count):
        state = random.choices(["ok", "failed", "changed"], weights=[80, 10, 10])[0]
        started = now - (count - i) * 60
        duration = random.randint(2000, 60000) if state != "changed" else None
        iso = lambda t: time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + "Z"
        rows.append((str(uuid.uuid4()), projects[i % len(projects)], state, "dockerhub", "example/app:v%d" % i,
                     "v%d" % i, "hook:dockerhub", iso(started - 1), iso(started),
                     iso(started + (duration or 0) / 1000), duration))
    db.executemany("""insert into deployments(id, project, state, source, image, tag, requested_by, created_at,
                      started_at, finished_at, duration_ms) values (?,?,?,?,?,?,?,?,?,?,?)""", rows)
    db.commit()
    db.close()


def hammer(port, token, seconds, clients):
    counts = [0] * clients
    errors = [0] * clients
    stop = time.monotonic() + seconds

    def client(k):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < stop:
            conn.request("GET", "/deploy/stat", headers={"Authorization": "Bearer " + token})
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                counts[k] += 1
            else:
                errors[k] += 1

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / (time.monotonic() - began), sum(errors)


def peak_rss_mb(pid):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--deployments", type=int, default=10000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="deployer-serve-bench")
    port = free_port()
    projects = ["web", "api", "worker", "docs"]
    with open(os.path.join(work, "hosts.yml"), "w") as f:
        f.write("all: {hosts: {}}\n")
    with open(os.path.join(work, "play.yml"), "w") as f:
        f.write("- hosts: all\n  tasks: []\n")
    with open(os.path.join(work, "server.yml"), "w") as f:
        f.write("listen: 127.0.0.1:%d\ninventory: hosts.yml\nprojects:\n" % port)
        for p in projects:
            f.write("  %s:\n    playbook: play.yml\n    repositories: [example/app]\n" % p)
    token = deployer("token", "create", "bench", "-f", os.path.join(work, "tokens.txt")).stdout.strip()

    server = start(work, port)  # makes the database and its tables
    server.terminate()
    server.wait(60)
    store(os.path.join(work, "data", "deployer.db"), args.deployments, projects)
    server = start(work, port)
    try:
        hammer(port, token, 1, args.clients)  # warm-up
        rate, errors = hammer(port, token, args.seconds, args.clients)
        rss = peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(60)
    result = {"deployments": args.deployments, "clients": args.clients, "seconds": args.seconds,
              "stat_requests_per_s": round(rate, 1), "errors": errors, "server_peak_rss_mb": round(rss, 1)}
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "serve.json"), "w") as f:
        json.dump(result, f, indent=2)
    with open(os.path.join(OUT, "serve.md"), "w") as f:
        f.write("| deployments stored | clients | GET /stat per s | server peak RSS |\n|---|---|---|---|\n")
        f.write("| %d | %d | %.1f | %.0f MB |\n" % (args.deployments, args.clients, rate, rss))
    print(json.dumps(result))
    if errors:
        raise SystemExit("serve bench: %d requests failed" % errors)


if __name__ == "__main__":
    main()
