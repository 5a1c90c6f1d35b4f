"""The load of a 200-person assembly signing in by QR code, from a process of its own: 50 client
threads, each with its own keep-alive connection, each signing in four attendees with a pause of
up to two seconds before each scan (the whole room within about ten seconds, six times faster than
"within a minute"). Prints the latency of every sign-in request in milliseconds, as JSON.

    python bench/signin_load.py spec.json      # spec written by bench/meetings.py
"""

import http.client
import json
import random
import sys
import threading
import time
from urllib.parse import urlsplit

CLIENTS = 50


def main(spec_path: str) -> None:
    spec = json.load(open(spec_path))
    url = urlsplit(spec["url"])
    people = spec["clients"]
    shares = [people[n::CLIENTS] for n in range(CLIENTS)]
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(CLIENTS)

    def client(share, seed):
        rng = random.Random(seed)
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        start.wait()
        for person in share:
            time.sleep(rng.uniform(0, 2))
            headers = {
                "Cookie": f"{spec['session_cookie']}={person['session']}; {spec['csrf_cookie']}={person['csrf']}",
                "Content-Type": "application/x-www-form-urlencoded",
                "X-CSRFToken": person["token"],
                "HX-Request": "true",  # the button posts by htmx, as on the phone
                # As behind the TLS-terminating proxy of production (settings trust this header).
                "X-Forwarded-Proto": "https",
                "Origin": f"https://{url.netloc}",
                "Referer": f"https://{url.netloc}{url.path}",
            }
            began = time.perf_counter()
            connection.request("POST", url.path, body="", headers=headers)
            response = connection.getresponse()
            body = response.read()
            took = (time.perf_counter() - began) * 1000
            with lock:
                latencies.append(took)
                if response.status != 200 or "签到成功".encode() not in body:
                    failures.append(f"{response.status} {response.getheader('Location', '')}")
        connection.close()

    threads = [threading.Thread(target=client, args=(share, n)) for n, share in enumerate(shares)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(f"{len(failures)} sign-ins failed: {failures[:5]}")
    print(json.dumps({"latencies_ms": latencies}))


if __name__ == "__main__":
    main(sys.argv[1])
