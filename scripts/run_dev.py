"""`make run`: the development web server and one job worker, as one command.

Both run as children of this process; Ctrl-C (or SIGTERM) stops both, and if either exits on its
own the other is stopped too, so a dead worker is never left unnoticed behind a live server.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    address = argv[0] if argv else "127.0.0.1:8000"
    manage = [sys.executable, str(ROOT / "manage.py")]
    children = [
        subprocess.Popen([*manage, "procrastinate", "worker"], cwd=ROOT),
        subprocess.Popen([*manage, "runserver", address], cwd=ROOT),
    ]
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    status = 0
    while not stopping:
        exited = [child for child in children if child.poll() is not None]
        if exited:
            status = exited[0].returncode or 1
            print(f"{' '.join(exited[0].args[2:3])} exited ({exited[0].returncode}); stopping.", file=sys.stderr)
            break
        time.sleep(0.3)
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 10
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
