#!/usr/bin/python3
"""deploy/compose.yaml, deploy/nginx.conf and the Dockerfile say what the README says they do.

    check_compose.py COMPOSE NGINX_CONF DOCKERFILE

No container engine is needed: it reads the files. PostgreSQL 15; two or more hub nodes built from
the Dockerfile, all on one postgresql:// journal, listening on the port the proxy sends to; nginx
in front with the given nginx.conf, whose upstream names exactly those nodes, published on
loopback only. The Dockerfile builds on debian:12 and runs on debian:12-slim as a non-root user.
Then, when the compose plugin (or docker-compose) answers without an engine, its `config` must
accept the file too. Exit 0 when all holds, 1 naming what does not.
"""

import os
import re
import shutil
import subprocess
import sys

import yaml


def main():
    compose_path, nginx_path, dockerfile_path = sys.argv[1:4]
    problems = []
    compose = yaml.safe_load(open(compose_path, encoding="utf-8"))
    services = compose.get("services", {})
    folder = os.path.dirname(os.path.abspath(compose_path))

    postgres = [n for n, s in services.items() if str(s.get("image", "")).startswith("postgres:15")]
    if len(postgres) != 1:
        problems.append(f"one PostgreSQL 15 service expected, found {postgres}")
    hubs = {n: s for n, s in services.items() if "build" in s}
    if len(hubs) < 2:
        problems.append(f"two hub nodes built from the Dockerfile expected, found {sorted(hubs)}")
    journals, ports = set(), set()
    for name, hub in hubs.items():
        build = hub["build"]
        context = os.path.normpath(os.path.join(folder, build.get("context", ".")))
        if os.path.normpath(os.path.join(context, build.get("dockerfile", "Dockerfile"))) != os.path.abspath(dockerfile_path):
            problems.append(f"{name}: not built from {dockerfile_path}")
        command = hub.get("command", [])
        if command[:1] != ["serve"] or "--journal" not in command or "--listen" not in command:
            problems.append(f"{name}: command is not 'serve ... --listen ... --journal ...': {command}")
            continue
        journal = command[command.index("--journal") + 1]
        if not journal.startswith("postgresql://"):
            problems.append(f"{name}: journal {journal} is not PostgreSQL")
        journals.add(journal)
        ports.add(command[command.index("--listen") + 1].rsplit(":", 1)[1])
        if postgres and postgres[0] not in hub.get("depends_on", {}):
            problems.append(f"{name}: does not wait for {postgres[0]}")
    if len(journals) > 1:
        problems.append(f"the nodes do not share one journal: {sorted(journals)}")

    proxies = [n for n, s in services.items() if str(s.get("image", "")).startswith("nginx:")]
    if len(proxies) != 1:
        problems.append(f"one nginx proxy expected, found {proxies}")
    else:
        proxy = services[proxies[0]]
        mounts = [v.split(":")[0] for v in proxy.get("volumes", [])]
        if not any(os.path.normpath(os.path.join(folder, m)) == os.path.abspath(nginx_path) for m in mounts):
            problems.append(f"{proxies[0]}: does not mount {nginx_path}")
        for port in proxy.get("ports", []):
            if not str(port).startswith("127.0.0.1:"):
                problems.append(f"{proxies[0]}: port {port} is published beyond loopback")
        upstream = re.search(r"upstream\s+\S+\s*{(.*?)}", open(nginx_path, encoding="utf-8").read(), re.S)
        servers = re.findall(r"server\s+([^\s;:]+):(\d+)", upstream.group(1)) if upstream else []
        if {s for s, _ in servers} != set(hubs):
            problems.append(f"{nginx_path}: the upstream names {sorted(s for s, _ in servers)}, the nodes are {sorted(hubs)}")
        if {p for _, p in servers} - ports:
            problems.append(f"{nginx_path}: the upstream ports {sorted({p for _, p in servers})} are not the nodes' {sorted(ports)}")

    dockerfile = open(dockerfile_path, encoding="utf-8").read()
    froms = re.findall(r"^FROM\s+(\S+)(?:\s+AS\s+(\S+))?", dockerfile, re.M | re.I)
    if len(froms) != 2 or froms[0][0] != "debian:12" or froms[1][0] != "debian:12-slim":
        problems.append(f"{dockerfile_path}: a build stage on debian:12 and a run stage on debian:12-slim expected: {froms}")
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.M)
    if not users or users[-1] in ("root", "0"):
        problems.append(f"{dockerfile_path}: the image does not run as a non-root user")

    for p in problems:
        print(p)
    if problems:
        return 1
    print(f"{compose_path}: {postgres[0]} (PostgreSQL 15), nodes {', '.join(sorted(hubs))} on one journal, "
          f"{proxies[0]} in front; {dockerfile_path}: debian:12 -> debian:12-slim as {users[-1]}")

    for tool in (["docker", "compose"], ["docker-compose"]):
        if shutil.which(tool[0]) is None:
            continue
        probe = subprocess.run(tool + ["version"], capture_output=True, text=True)
        if probe.returncode != 0:
            continue
        run = subprocess.run(tool + ["-f", compose_path, "config", "--quiet"], capture_output=True, text=True)
        if run.returncode != 0:
            print(f"{' '.join(tool)} config refuses {compose_path}:\n{run.stdout}{run.stderr}")
            return 1
        print(f"{' '.join(tool)} config: accepted")
        return 0
    print("not checked: neither the docker compose plugin nor docker-compose answers here")
    return 0


if __name__ == "__main__":
    sys.exit(main())
