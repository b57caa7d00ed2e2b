"""Times one deploy three ways on the testbed: deployer, Ansible, and the raw-SSH limit.

Runs take turns (deployer, Ansible, limit, deployer, ...) so machine noise hits all three alike.
Prints medians and ratios, and writes target/bench/results.json and results.md.
"""
import argparse
import concurrent.futures
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTBED = os.environ.get("DEPLOYER_TESTBED_DIR", os.path.join(ROOT, ".testbed"))
OUT = os.path.join(ROOT, "target", "bench")


def hosts(n):
    return ["h%d" % i for i in range(1, n + 1)]


def addresses():
    text = open(os.path.join(TESTBED, "inventory.yml")).read()
    return dict(re.findall(r"\n    (h\d+):\n      ansible_host: (\S+)", text))


def run(cmd, **kw):
    return subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)


def timed(cmd, env=None):
    """Wall time of a command that must succeed; /usr/bin/time -v gives its peak RSS."""
    full = ["/usr/bin/time", "-v"] + cmd
    start = time.monotonic()
    result = run(full, env=env)
    elapsed = time.monotonic() - start
    if result.returncode != 0:
        sys.exit("bench: failed (%d): %s\n%s" % (result.returncode, " ".join(cmd), result.stdout[-3000:]))
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stdout)
    return elapsed, int(rss.group(1)) / 1024 if rss else 0.0, result.stdout


AGENTS = os.path.join(OUT, "agents")


def use_own_agents():
    """deployer's runs here start their persistent agent under target/bench/agents: the bench knows
    which agents are its own, measures their memory and stops them at the end."""
    os.makedirs(AGENTS, exist_ok=True)
    os.chmod(AGENTS, 0o700)
    os.environ["XDG_RUNTIME_DIR"] = AGENTS


def agent_pids():
    pids = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                cmdline = f.read().decode(errors="replace")
        except OSError:
            continue
        if "dev.deployer.cli.AgentMain" in cmdline and AGENTS in cmdline:
            pids.append(int(pid))
    return pids


def stop_agents():
    """The agents' peak RSS in MB (the largest), then ends them."""
    peak = 0.0
    for pid in agent_pids():
        try:
            with open("/proc/%d/status" % pid) as f:
                hwm = re.search(r"VmHWM:\s+(\d+) kB", f.read())
            peak = max(peak, int(hwm.group(1)) / 1024 if hwm else 0.0)
            os.kill(pid, 15)
        except OSError:
            pass
    return peak


def on_hosts(names, script):
    """Runs a shell script on every host with its Docker (no SSH), in parallel: for resets."""
    def one(h):
        return run([os.path.join(ROOT, "scripts/testbed"), "exec", h, "sh", "-c", script])
    with concurrent.futures.ThreadPoolExecutor(len(names)) as pool:
        list(pool.map(one, names))


def write_ansible_files(n):
    inv = os.path.join(OUT, "ansible-hosts.ini")
    addr = addresses()
    with open(inv, "w") as f:
        f.write("[web]\n")
        for h in hosts(n):
            f.write("%s ansible_host=%s\n" % (h, addr[h]))
        f.write("\n[web:vars]\nansible_user=root\nansible_ssh_private_key_file=%s\nansible_python_interpreter=/usr/bin/python3\n"
                % os.path.join(TESTBED, "id_ed25519"))
    cfg = os.path.join(OUT, "ansible.cfg")
    with open(cfg, "w") as f:
        f.write("""[defaults]
forks = %d
host_key_checking = True
retry_files_enabled = False
stdout_callback = default
[ssh_connection]
pipelining = True
ssh_args = -o ControlMaster=auto -o ControlPersist=120s -o UserKnownHostsFile=%s -o StrictHostKeyChecking=yes
control_path_dir = %s/cp
""" % (n, os.path.join(TESTBED, "known_hosts"), OUT))
    return inv, cfg


def limit_probe(directory, name):
    """The one remote command that reads what an idempotent run reads."""
    return ("cd %s && find . -type f -exec sha256sum {} + >/dev/null; "
            "docker inspect --format '{{index .Config.Labels \"deployer.build-hash\"}} {{.Id}}' %s:1 %s "
            "--format '{{.Id}} {{index .Config.Labels \"deployer.config-hash\"}} {{if .State}}{{.State.Status}}{{end}}' >/dev/null 2>&1; "
            "docker ps -a --format '{{.Names}} {{.Status}}' >/dev/null") % (directory, name, name)


def limit_command(targets, known_hosts, port=22, forks=None):
    """One plain ssh per host, at most `forks` at a time, each running its limit probe.

    targets: (address, probe) pairs."""
    key = os.path.join(TESTBED, "id_ed25519")
    lines = ["ssh -i %s -p %d -o UserKnownHostsFile=%s -o StrictHostKeyChecking=yes -o BatchMode=yes root@%s %s"
             % (key, port, known_hosts, address, shell_quote(probe)) for address, probe in targets]
    script = "\n".join(lines) + "\n"
    return ["sh", "-c", "printf '%%s' %s | xargs -d '\\n' -P %d -I{} sh -c {}" % (shell_quote(script), forks or len(targets))]


def first_limit_command(targets, known_hosts):
    """The first deploy's floor: per host, one plain ssh that unpacks the app, builds it, runs it and
    polls its health every 0.1 s; the same docker work as both tools do, and nothing else.

    targets: addresses."""
    key = os.path.join(TESTBED, "id_ed25519")
    app = os.path.join(ROOT, "playbooks", "apps", "hello")
    remote = ("rm -rf /opt/bench/limit && mkdir -p /opt/bench/limit && tar -x -C /opt/bench/limit"
              " && DOCKER_BUILDKIT=1 docker build -q --build-arg BASE=testbed/base:1 -t bench-l:1 /opt/bench/limit >/dev/null"
              " && docker run -d --name bench-l -p 18082:8080 bench-l:1 >/dev/null"
              " && until [ \"$(docker inspect -f '{{.State.Health.Status}}' bench-l)\" = healthy ]; do sleep 0.1; done")
    lines = ["tar -C %s -c . | ssh -i %s -o UserKnownHostsFile=%s -o StrictHostKeyChecking=yes -o BatchMode=yes root@%s %s"
             % (app, key, known_hosts, address, shell_quote(remote)) for address in targets]
    script = "\n".join(lines) + "\n"
    return ["sh", "-c", "printf '%%s' %s | xargs -d '\\n' -P %d -I{} sh -c {}" % (shell_quote(script), len(targets))]


def shell_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


CDS = os.path.join(OUT, "deployer.jsa")


def deployer_jvm():
    """As scripts/deployer runs it: C1 only, and the class data archive the warm-up run records."""
    jar = os.path.join(ROOT, "target", "deployer.jar")
    share = ["-XX:SharedArchiveFile=" + CDS, "-Xshare:auto"] if os.path.exists(CDS) else ["-XX:ArchiveClassesAtExit=" + CDS]
    return ["java", "-XX:TieredStopAtLevel=1", "-Xmx256m"] + share + ["-jar", jar]


def deployer_command(inventory, forks):
    return deployer_jvm() + ["play", os.path.join(ROOT, "playbooks", "bench.yml"), "-i", inventory, "--forks", str(forks)]


def median(values):
    return round(statistics.median(values), 3)


def scale(n, reps):
    """deployer alone on N sshd instances sharing one Docker engine: how time and memory grow."""
    inventory = os.path.join(TESTBED, "scale", "inventory.yml")
    names = ["s%d" % i for i in range(1, n + 1)]
    reset = " ".join("docker rm -f bench-%s >/dev/null 2>&1; docker rmi bench-%s:1 >/dev/null 2>&1;" % (h, h)
                     for h in names) + " rm -rf /opt/bench/scale"
    def reset_all():
        run([os.path.join(ROOT, "scripts/testbed"), "exec", "h1", "sh", "-c", reset])

    # Each point's runs in their own JVM: a kept connection from the point before would make the
    # later points cheaper than the earlier ones, and this measures forks. The agent has its own row.
    cold = dict(os.environ, DEPLOYER_PERSIST="0")

    def deploy(hosts, forks, idempotent, env=cold):
        cmd = deployer_command(inventory, forks) + ["--limit", ",".join(names[:hosts])]
        t, rss, out = timed(cmd, env)
        if idempotent and not all(re.search(r"%s\s+: ok=\d+ changed=0 failed=0" % h, out) for h in names[:hosts]):
            sys.exit("bench: deployer's re-run changed something:\n" + out[-2000:])
        return t, rss

    def limit(hosts, forks):
        targets = [("127.0.1.%d" % i, limit_probe("/opt/bench/scale/s%d" % i, "bench-s%d" % i)) for i in range(1, hosts + 1)]
        return timed(limit_command(targets, os.path.join(TESTBED, "scale", "known_hosts"), 2222, forks))[0]

    print("bench: scale, %d hosts sharing one Docker engine, %d runs per point" % (n, reps), file=sys.stderr)
    reset_all()
    deploy(1, 1, False)  # the warm-up, which records the class data archive
    forks_list = sorted({min(10, n), n})
    host_counts = sorted({h for h in (10, n // 2, n) if 1 <= h <= n})
    points = []
    for forks in forks_list:
        firsts, rss_first = [], 0.0
        for _ in range(reps):
            reset_all()
            t, rss = deploy(n, forks, False)
            firsts.append(t)
            rss_first = max(rss_first, rss)
        points.append({"case": "first", "hosts": n, "forks": forks, "wall_s": median(firsts), "peak_rss_mb": round(rss_first, 1)})
        print("bench: first deploy, %d hosts, forks %d: %.2fs" % (n, forks, points[-1]["wall_s"]), file=sys.stderr)
        for hosts in host_counts:
            times, limits, peak = [], [], 0.0
            for _ in range(reps):
                t, rss = deploy(hosts, min(forks, hosts), True)
                times.append(t)
                peak = max(peak, rss)
                limits.append(limit(hosts, min(forks, hosts)))
            points.append({"case": "idempotent", "hosts": hosts, "forks": min(forks, hosts), "wall_s": median(times),
                           "limit_s": median(limits), "peak_rss_mb": round(peak, 1)})
            print("bench: idempotent, %d hosts, forks %d: %.2fs (limit %.2fs)"
                  % (hosts, min(forks, hosts), points[-1]["wall_s"], points[-1]["limit_s"]), file=sys.stderr)
    use_own_agents()
    stop_agents()
    deploy(n, n, True, os.environ)  # starts the agent, which connects to every host
    times, limits, peak = [], [], 0.0
    for _ in range(reps):
        t, rss = deploy(n, n, True, os.environ)
        times.append(t)
        peak = max(peak, rss)
        limits.append(limit(n, n))
    agent = stop_agents()
    points.append({"case": "idempotent, agent", "hosts": n, "forks": n, "wall_s": median(times), "limit_s": median(limits),
                   "peak_rss_mb": round(peak + agent, 1), "agent_peak_rss_mb": round(agent, 1)})
    print("bench: idempotent through the agent, %d hosts, forks %d: %.2fs (limit %.2fs), RSS %.0f MB with the agent's %.0f MB"
          % (n, n, points[-1]["wall_s"], points[-1]["limit_s"], points[-1]["peak_rss_mb"], agent), file=sys.stderr)
    with open(os.path.join(OUT, "scale.json"), "w") as f:
        json.dump({"hosts": n, "runs": reps, "points": points}, f, indent=2)
    rows = ["| case | hosts | forks | deployer | per host | limit | deployer / limit | peak RSS |",
            "|---|---|---|---|---|---|---|---|"]
    for p in points:
        limit_cells = ("%.2f s | %.2f" % (p["limit_s"], p["wall_s"] / p["limit_s"])) if "limit_s" in p else "— | —"
        rows.append("| %s | %d | %d | %.2f s | %.0f ms | %s | %.0f MB |" % (
            p["case"], p["hosts"], p["forks"], p["wall_s"], 1000 * p["wall_s"] / p["hosts"], limit_cells, p["peak_rss_mb"]))
    rows += ["", "Medians of %d runs; %d sshd on loopback sharing one Docker engine. Runs in their own JVM"
             " (DEPLOYER_PERSIST=0) but the agent's row, whose peak RSS is the client's and the agent's together." % (reps, n)]
    table = "\n".join(rows) + "\n"
    with open(os.path.join(OUT, "scale.md"), "w") as f:
        f.write(table)
    print(table)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", type=int, default=10)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--scale", type=int, default=0)
    args = parser.parse_args()
    os.makedirs(OUT, exist_ok=True)
    if os.path.exists(CDS):
        os.remove(CDS)
    if args.scale:
        return scale(args.scale, args.reps)
    n = args.hosts
    names = hosts(n)
    inv, cfg = write_ansible_files(n)
    env = dict(os.environ, ANSIBLE_CONFIG=cfg)
    def deployer():
        return deployer_command(os.path.join(TESTBED, "inventory.yml"), n) + [
            "-e", "bench_dir=/opt/bench/deployer/hello", "-e", "bench_name=bench-d", "-e", "bench_port=18080"]
    ansible = ["ansible-playbook", "-i", inv, os.path.join(ROOT, "bench", "ansible-site.yml"),
               "-e", "app_src=" + os.path.join(ROOT, "playbooks", "apps", "hello")]
    addr = addresses()
    limit = limit_command([(addr[h], limit_probe("/opt/bench/deployer/hello", "bench-d")) for h in names],
                          os.path.join(TESTBED, "known_hosts"))

    def reset_deployer():
        on_hosts(names, "docker rm -f bench-d >/dev/null 2>&1; docker rmi bench-d:1 >/dev/null 2>&1; rm -rf /opt/bench/deployer")

    first_limit = first_limit_command([addr[h] for h in names], os.path.join(TESTBED, "known_hosts"))

    def reset_limit():
        on_hosts(names, "docker rm -f bench-l >/dev/null 2>&1; docker rmi bench-l:1 >/dev/null 2>&1; rm -rf /opt/bench/limit")

    def reset_ansible():
        on_hosts(names, "docker rm -f bench-a >/dev/null 2>&1; docker rmi bench-a:1 >/dev/null 2>&1; rm -rf /opt/bench/ansible")

    def check_idempotent(output, tool):
        if tool == "deployer" and not all(re.search(r"%s\s+: ok=\d+ changed=0 failed=0" % h, output) for h in names):
            sys.exit("bench: deployer's re-run changed something:\n" + output[-2000:])
        if tool == "ansible" and not re.search(r"changed=0\s+unreachable=0\s+failed=0", output):
            sys.exit("bench: Ansible's re-run changed something:\n" + output[-2000:])

    samples = {"first": {"deployer": [], "ansible": [], "limit": []},
               "idempotent": {"deployer": [], "ansible": [], "limit": []},
               "idempotent, no agent": {"deployer": []}}
    peak_rss = 0.0  # the client's, through the agent
    alone_rss = 0.0  # a run in its own JVM

    print("bench: %d hosts, %d runs per case after a warm-up" % (n, args.reps), file=sys.stderr)
    use_own_agents()
    stop_agents()
    cold = dict(os.environ, DEPLOYER_PERSIST="0")
    reset_deployer()
    reset_ansible()
    # Warm-ups, as Ansible's starts its ControlPersist masters: deployer's first run records the
    # class data archive (in its own JVM), its second starts the persistent agent.
    timed(deployer())
    timed(deployer())
    timed(ansible, env)
    timed(limit)
    for i in range(args.reps):
        t, rss, out = timed(deployer())
        check_idempotent(out, "deployer")
        samples["idempotent"]["deployer"].append(t)
        peak_rss = max(peak_rss, rss)
        t, _, out = timed(ansible, env)
        check_idempotent(out, "ansible")
        samples["idempotent"]["ansible"].append(t)
        samples["idempotent"]["limit"].append(timed(limit)[0])
        t, rss, out = timed(deployer(), cold)
        check_idempotent(out, "deployer")
        samples["idempotent, no agent"]["deployer"].append(t)
        alone_rss = max(alone_rss, rss)
        print("bench: idempotent run %d: deployer %.2fs, ansible %.2fs, limit %.2fs, deployer without an agent %.2fs"
              % (i + 1, samples["idempotent"]["deployer"][-1], samples["idempotent"]["ansible"][-1],
                 samples["idempotent"]["limit"][-1], t), file=sys.stderr)
    for i in range(args.reps):
        reset_deployer()
        t, rss, _ = timed(deployer())
        samples["first"]["deployer"].append(t)
        peak_rss = max(peak_rss, rss)
        reset_ansible()
        samples["first"]["ansible"].append(timed(ansible, env)[0])
        reset_limit()
        samples["first"]["limit"].append(timed(first_limit)[0])
        print("bench: first deploy %d: deployer %.2fs, ansible %.2fs, limit %.2fs"
              % (i + 1, samples["first"]["deployer"][-1], samples["first"]["ansible"][-1], samples["first"]["limit"][-1]),
              file=sys.stderr)

    cases = {}
    for case, by_tool in samples.items():
        cases[case] = {tool + "_s": round(statistics.median(values), 3) for tool, values in by_tool.items()}
    agent_rss = stop_agents()
    results = {"hosts": n, "runs": args.reps, "cases": cases, "client_peak_rss_mb": round(peak_rss, 1),
               "agent_peak_rss_mb": round(agent_rss, 1), "no_agent_peak_rss_mb": round(alone_rss, 1)}
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump(results, f, indent=2)
    rows = ["| case, N = %d | deployer | Ansible | limit | deployer / Ansible | deployer / limit |" % n,
            "|---|---|---|---|---|---|"]
    for case in ("idempotent", "idempotent, no agent", "first"):
        c = dict(cases["idempotent"] if case == "idempotent, no agent" else cases[case], deployer_s=cases[case]["deployer_s"])
        rows.append("| %s | %.2f s | %.2f s | %.2f s | %.2f | %.2f |" % (
            case, c["deployer_s"], c["ansible_s"], c["limit_s"], c["deployer_s"] / c["ansible_s"],
            c["deployer_s"] / c["limit_s"]))
    rows.append("")
    rows.append("deployer peak RSS: %.0f MB together (the client %.0f MB, its agent %.0f MB); %.0f MB without an agent."
                " Medians of %d runs, taking turns, on %d testbed hosts. The first deploy's limit is the same docker"
                " work over plain ssh (unpack, build, run, poll health)." % (
                    peak_rss + agent_rss, peak_rss, agent_rss, alone_rss, args.reps, n))
    table = "\n".join(rows) + "\n"
    with open(os.path.join(OUT, "results.md"), "w") as f:
        f.write(table)
    print(table)


if __name__ == "__main__":
    main()
