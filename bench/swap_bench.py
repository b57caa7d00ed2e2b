"""Times a version change of one app swapped plainly and behind the host's proxy, on the same
hosts, taking turns, while a poller on the first host counts the requests that fail.

Writes target/bench/swap.json and swap.md.
"""
import argparse
import json
import os
import re
import socket
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import OUT, ROOT, TESTBED, addresses, deployer_command, hosts, on_hosts, timed  # noqa: E402

PLAIN_PORT = 18093
PROXY_PORT = 18094

BUILD = """- hosts: web
  tasks:
    - sync_dir: {src: %(apps)s/hello, dest: /opt/bench/swap/hello, delete: true}
    - docker_build:
        context: /opt/bench/swap/hello
        image: "bench-swap:{{item}}"
        build_args: {BASE: "{{base_image}}", APP_VERSION: "{{item}}"}
      loop: ["1", "2"]
"""

PLAIN = """- hosts: web
  tasks:
    - swap_container:
        name: bench-plain
        image: "bench-swap:{{v}}"
        ports: ["%d:8080"]
        stop_timeout: 1
""" % PLAIN_PORT

PROXIED = """- hosts: web
  tasks:
    - ensure_proxy: {image: "{{proxy_image}}"}
    - swap_container:
        name: bench-proxied
        image: "bench-swap:{{v}}"
        stop_timeout: 1
        proxy: {port: %d, app_port: 8080, drain_timeout: 5s}
""" % PROXY_PORT


class Poller:
    """GET / on a new connection every 40 ms; counts answers other than 200."""

    def __init__(self, address, port):
        self.address, self.port = address, port
        self.ok = self.failed = 0
        self.running = True
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def loop(self):
        while self.running:
            started = time.monotonic()
            try:
                with socket.create_connection((self.address, self.port), timeout=5) as s:
                    s.sendall(b"GET / HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
                    data = b""
                    while True:
                        chunk = s.recv(4096)
                        if not chunk:
                            break
                        data += chunk
                if data.startswith(b"HTTP/1.1 200") or data.startswith(b"HTTP/1.0 200"):
                    self.ok += 1
                else:
                    self.failed += 1
            except OSError:
                self.failed += 1
            time.sleep(max(0.0, 0.04 - (time.monotonic() - started)))

    def stop(self):
        self.running = False
        self.thread.join()
        return self.ok, self.failed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", type=int, default=3)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    os.makedirs(OUT, exist_ok=True)
    names = hosts(args.hosts)
    inventory = os.path.join(TESTBED, "inventory.yml")
    books = {}
    for name, text in (("build", BUILD % {"apps": os.path.join(ROOT, "playbooks", "apps")}), ("plain", PLAIN),
                       ("proxied", PROXIED)):
        books[name] = os.path.join(OUT, "swap-%s.yml" % name)
        with open(books[name], "w") as f:
            f.write(text)

    on_hosts(names, "docker rm -f bench-plain bench-proxied >/dev/null 2>&1; true")
    timed(deployer_at(books["build"], inventory, args.hosts))
    timed(deployer_at(books["plain"], inventory, args.hosts, "1"))
    timed(deployer_at(books["proxied"], inventory, args.hosts, "1"))
    address = addresses()[names[0]]
    samples = {"plain": [], "proxied": []}
    failures = {"plain": [0, 0], "proxied": [0, 0]}
    version = "1"
    print("bench: swap on %d hosts, %d version changes each" % (args.hosts, args.reps), file=sys.stderr)
    for i in range(args.reps):
        version = "2" if version == "1" else "1"
        for kind, port in (("plain", PLAIN_PORT), ("proxied", PROXY_PORT)):
            poller = Poller(address, port)
            elapsed, _, out = timed(deployer_at(books[kind], inventory, args.hosts, version))
            time.sleep(0.5)
            ok, failed = poller.stop()
            if not all(re.search(r"%s\s+: ok=\d+ changed=1 failed=0" % h, out) for h in names):
                sys.exit("bench: the %s swap did not change each host once:\n%s" % (kind, out[-2000:]))
            samples[kind].append(elapsed)
            failures[kind][0] += ok
            failures[kind][1] += failed
        print("bench: change %d: plain %.2fs, proxied %.2fs" % (i + 1, samples["plain"][-1], samples["proxied"][-1]),
              file=sys.stderr)
    result = {"hosts": args.hosts, "runs": args.reps,
              "plain_s": round(statistics.median(samples["plain"]), 3),
              "proxied_s": round(statistics.median(samples["proxied"]), 3),
              "plain_failed_requests": failures["plain"][1], "plain_requests": sum(failures["plain"]),
              "proxied_failed_requests": failures["proxied"][1], "proxied_requests": sum(failures["proxied"])}
    with open(os.path.join(OUT, "swap.json"), "w") as f:
        json.dump(result, f, indent=2)
    table = "\n".join([
        "| swap of a new version, N = %d | time (median) | failed requests at 25/s on h1 |" % args.hosts,
        "|---|---|---|",
        "| plain (`ports:`) | %.2f s | %d of %d |" % (result["plain_s"], result["plain_failed_requests"], result["plain_requests"]),
        "| behind the proxy (`proxy:`) | %.2f s | %d of %d |" % (
            result["proxied_s"], result["proxied_failed_requests"], result["proxied_requests"]),
        "",
        "Medians of %d version changes each, taking turns, same app (playbooks/apps/hello), same hosts." % args.reps,
    ]) + "\n"
    with open(os.path.join(OUT, "swap.md"), "w") as f:
        f.write(table)
    print(table)


def deployer_at(book, inventory, forks, version=None):
    command = deployer_command(inventory, forks)
    command[command.index(os.path.join(ROOT, "playbooks", "bench.yml"))] = book
    return command + ([] if version is None else ["-e", "v=" + version])


if __name__ == "__main__":
    main()
