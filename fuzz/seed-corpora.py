#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora (fuzz/corpus/<target>/) from what authors really
write: the bundled course, the test fixtures and ../shared/seeds (when present). Each input is
one file named by its content's hash, so rerunning adds nothing twice.

Usage: python3 fuzz/seed-corpora.py   (then `cargo fuzz cmin` to minimise; see fuzz/README.md)
"""
import hashlib
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"
FENCE = re.compile(r"^(```+|~~~+)[ \t]*([^\n]*)\n(.*?)^\1[ \t]*$", re.S | re.M)


def sources():
    for base in [ROOT / "content", ROOT / "tests" / "fixtures", ROOT.parent / "shared" / "seeds"]:
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                if path.is_file() and path.suffix in {".md", ".txt", ".toml"}:
                    yield path


def add(target, data):
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


# The proxy target reads the request's target on the first line and its body after: requests
# as the docker CLI sends them for what lessons do, and the escapes the policy refuses.
PROXY_REQUESTS = [
    '/v1.41/containers/create?name=web\n{"Image":"nginx","Cmd":null,"Labels":{"app":"web"},'
    '"HostConfig":{"Binds":["data:/usr/share/nginx/html"],"PortBindings":{"80/tcp":[{"HostIp":"",'
    '"HostPort":"8080"}]},"NetworkMode":"default","Mounts":[{"Type":"volume","Source":"v","Target":"/v"}]},'
    '"NetworkingConfig":{"EndpointsConfig":{"shop":{"Aliases":["api"]}}}}',
    '/v1.41/containers/create\n{"Image":"busybox","HostConfig":{"Privileged":true,"CapAdd":["NET_ADMIN"],'
    '"Binds":["/etc:/x"],"PidMode":"host","SecurityOpt":["seccomp=unconfined"]}}',
    '/v1.41/containers/create\n{"Image":"busybox","hostconfig":{"privileged":true}}',
    '/v1.41/containers/abc/exec\n{"Privileged":false,"Cmd":["sh","-c","true"],"AttachStdout":true}',
    '/v1.41/volumes/create\n{"Name":"data","Driver":"local","DriverOpts":{"type":"none","o":"bind","device":"/etc"}}',
    '/v1.41/networks/create\n{"Name":"shop","CheckDuplicate":true,"Driver":"bridge","Labels":{}}',
    '/v1.41/containers/json?all=1&filters=%7B%22label%22%3A%7B%22a%3Db%22%3Atrue%7D%7D\n',
    '/v1.41/images/json?filters={"dangling":["true"]}\n',
]


def main():
    counts = {}
    for path in sources():
        raw = path.read_bytes()
        text = raw.decode("utf-8", "replace")
        if path.name == "book.toml":
            add("book_toml", raw)
            continue
        for target in ["front_matter", "markdown", "mojibake"]:
            add(target, raw)
        for fence in FENCE.finditer(text):
            info, body = fence.group(2).strip(), fence.group(3)
            lang = info.split()[0].split("{")[0] if info else ""
            if lang == "quiz":
                add("quiz", body)
            elif lang == "mermaid":
                add("mermaid_prepare", body)
            elif lang in {"console", "shell-session"}:
                # The console target reads (block, actual output): seed it with the block and
                # its own shown output, which is what a passing run looks like.
                add("console", body)
    add("book_toml", (ROOT / "book.toml").read_bytes())
    for request in PROXY_REQUESTS:
        add("proxy_request", request)
    for folder in sorted(CORPUS.iterdir()):
        counts[folder.name] = sum(1 for _ in folder.iterdir())
    for name, n in counts.items():
        print(f"{name}: {n} inputs")


if __name__ == "__main__":
    main()
