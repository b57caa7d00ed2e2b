"""Times sync_dir against rsync -a --delete over ssh: a 5,000-file, 20 MB tree to N testbed hosts.

Two cases, taking turns (deployer, rsync, deployer, ...): the first copy into an empty directory,
and a re-sync with nothing changed. Prints medians, ratios and deployer's peak RSS, and writes
target/bench/sync.json and sync.md.
"""
import argparse
import json
import os
import random
import re
import shutil
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import (CDS, OUT, ROOT, TESTBED, addresses, deployer_jvm, hosts, median, on_hosts, run, shell_quote,  # noqa: E402
                   stop_agents, timed, use_own_agents)

FILES = 5000
TOTAL_BYTES = 20 * 1024 * 1024


def make_tree(path):
    """The same tree every time: 50 directories of 100 files, sizes around 4 KiB, random bytes."""
    if os.path.exists(os.path.join(path, ".complete")):
        return
    shutil.rmtree(path, ignore_errors=True)
    rng = random.Random(19)
    sizes = [rng.randint(1, 2 * TOTAL_BYTES // FILES) for _ in range(FILES)]
    for i, size in enumerate(sizes):
        directory = os.path.join(path, "pkg%02d" % (i // 100), "lib" if i % 3 else "bin")
        os.makedirs(directory, exist_ok=True)
        name = os.path.join(directory, "file%04d.js" % i)
        with open(name, "wb") as f:
            f.write(rng.randbytes(size))
        if i % 50 == 0:
            os.chmod(name, 0o755)
    open(os.path.join(path, ".complete"), "w").close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", type=int, default=1)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    os.makedirs(OUT, exist_ok=True)
    use_own_agents()
    stop_agents()
    if os.path.exists(CDS):
        os.remove(CDS)  # recorded again by the warm-up, for this jar
    names = hosts(args.hosts)
    tree = os.path.join(OUT, "sync-tree")
    make_tree(tree)
    book = os.path.join(OUT, "sync.yml")
    with open(book, "w") as f:
        f.write("- hosts: all\n  tasks:\n    - sync_dir: {src: %s, dest: /opt/bench/sync/deployer, delete: true, exclude: [.complete]}\n"
                % tree)
    def deployer():
        """Made for each run: the first records the class data archive, the later ones map it."""
        return deployer_jvm() + ["play", book, "-i", os.path.join(TESTBED, "inventory.yml"), "--limit", ",".join(names),
                                 "--forks", str(args.hosts)]
    key = os.path.join(TESTBED, "id_ed25519")
    ssh = "ssh -i %s -o UserKnownHostsFile=%s -o StrictHostKeyChecking=yes -o BatchMode=yes" % (
        key, os.path.join(TESTBED, "known_hosts"))
    addr = addresses()
    lines = ["rsync -a --delete --exclude=.complete -e %s %s/ root@%s:/opt/bench/sync/rsync/"
             % (shell_quote(ssh), tree, addr[h]) for h in names]
    rsync = ["sh", "-c", "printf '%%s\\n' %s | xargs -d '\\n' -P %d -I{} sh -c {}"
             % (shell_quote("\n".join(lines)), args.hosts)]

    def reset():
        on_hosts(names, "rm -rf /opt/bench/sync; mkdir -p /opt/bench/sync")

    samples = {"first": {"deployer": [], "rsync": []}, "re-sync": {"deployer": [], "rsync": []},
               "re-sync, no agent": {"deployer": [], "rsync": []}}
    peak = 0.0  # of runs through the agent (the client's own RSS)
    alone = 0.0  # of runs in their own JVM
    print("bench: sync_dir of %d files to %d host(s), %d runs per case" % (FILES, args.hosts, args.reps), file=sys.stderr)
    def turn(case, changed, env=None):
        """deployer then rsync; every host's recap must show the change the case expects."""
        t, rss, out = timed(deployer(), env)
        if not all(re.search(r"%s\s+: ok=\d+ changed=%d failed=0" % (h, changed), out) for h in names):
            sys.exit("bench: the %s did not change exactly %d task on every host:\n%s" % (case, changed, out[-2000:]))
        samples[case]["deployer"].append(t)
        samples[case]["rsync"].append(timed(rsync)[0])
        return rss

    # Two warm-ups, as Ansible's first run starts its ControlPersist masters: the first records the
    # class data archive (in its own JVM), the second starts the persistent agent.
    reset()
    timed(deployer())
    timed(deployer())
    cold = dict(os.environ, DEPLOYER_PERSIST="0")
    for i in range(args.reps):
        reset()
        peak = max(peak, turn("first", 1), turn("re-sync", 0))
        alone = max(alone, turn("re-sync, no agent", 0, cold))
        print("bench: run %d: first %.2fs (rsync %.2fs), re-sync %.2fs (rsync %.2fs), without an agent %.2fs" % (
            i + 1, samples["first"]["deployer"][-1], samples["first"]["rsync"][-1],
            samples["re-sync"]["deployer"][-1], samples["re-sync"]["rsync"][-1],
            samples["re-sync, no agent"]["deployer"][-1]), file=sys.stderr)
    agent = stop_agents()
    listing = "cd %s && find . -type f ! -name .complete -exec sha256sum {} + | sort"
    local = run(["sh", "-c", listing % shell_quote(tree)]).stdout
    for h in names:
        for copy in ("deployer", "rsync"):
            theirs = run([os.path.join(ROOT, "scripts/testbed"), "exec", h, "sh", "-c", listing % ("/opt/bench/sync/" + copy)]).stdout
            if theirs != local:
                sys.exit("bench: %s's copy on %s differs from the tree" % (copy, h))
    cases = {case: {tool + "_s": median(values) for tool, values in by_tool.items()} for case, by_tool in samples.items()}
    results = {"hosts": args.hosts, "files": FILES, "bytes": TOTAL_BYTES, "runs": args.reps, "cases": cases,
               "client_peak_rss_mb": round(peak, 1), "agent_peak_rss_mb": round(agent, 1),
               "no_agent_peak_rss_mb": round(alone, 1)}
    with open(os.path.join(OUT, "sync.json"), "w") as f:
        json.dump(results, f, indent=2)
    rows = ["| sync_dir, %d files, N = %d | deployer | rsync -a --delete | deployer / rsync |" % (FILES, args.hosts),
            "|---|---|---|---|"]
    for case in ("first", "re-sync", "re-sync, no agent"):
        c = cases[case]
        rows.append("| %s | %.2f s | %.2f s | %.2f |" % (case, c["deployer_s"], c["rsync_s"], c["deployer_s"] / c["rsync_s"]))
    rows += ["", "deployer peak RSS: %.0f MB together (the client %.0f MB, its agent %.0f MB); %.0f MB without an agent."
             " Medians of %d runs, taking turns." % (peak + agent, peak, agent, alone, args.reps)]
    table = "\n".join(rows) + "\n"
    with open(os.path.join(OUT, "sync.md"), "w") as f:
        f.write(table)
    print(table)


if __name__ == "__main__":
    main()
