"""Watches the app through a PostgreSQL restart (scripts/loadtest.sh): every 0.1 s, a signed-in
page that needs the database. Stops 3 s after the first success once PostgreSQL is back (the
loadtest script writes the moment it accepts connections to `pg_up_file`), or after 90 s.
Writes every (time, status, friendly 503 page?) to `out_file`."""

import json
import sys
import time
from pathlib import Path

import requests
import urllib3

urllib3.disable_warnings()


def main(host: str, plan_file: str, out_file: str, pg_up_file: str) -> None:
    plan = json.loads(Path(plan_file).read_text())
    session = requests.Session()
    session.verify = False
    session.cookies.set("sessionid", plan["managers"][0]["session"], domain="127.0.0.1", path="/")
    samples = []
    started = time.time()
    recovered_at = None
    while time.time() - started < 90:
        moment = time.time()
        try:
            response = session.get(
                f"{host}/plans/review/", timeout=60, allow_redirects=False, verify=False
            )
            status = response.status_code
            friendly = status != 503 or "Sorry, the service is unavailable" in response.text
            error = ""
        except requests.RequestException as exception:
            status, friendly, error = 0, False, repr(exception)[:300]
        samples.append(
            {
                "t": moment,
                "answered": time.time(),
                "status": status,
                "friendly": friendly,
                "error": error,
            }
        )
        pg_up = Path(pg_up_file)
        if status == 200 and pg_up.exists() and moment >= float(pg_up.read_text()):
            recovered_at = recovered_at or moment
            if moment - recovered_at > 3:
                break
        time.sleep(0.1)
    Path(out_file).write_text(json.dumps(samples))


if __name__ == "__main__":
    main(*sys.argv[1:])
