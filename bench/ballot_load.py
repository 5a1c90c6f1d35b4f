"""The load of a 述职评议 vote, from a process of its own: 300 voters on phones, 50 client threads,
each with its own keep-alive connection, each voter scanning their slip's QR code after a pause of
up to two seconds (as the sign-in load), opening the ballot (GET, which also gives the CSRF cookie)
and submitting it (POST) after reading it for up to two seconds: the room of 300 within about
25 seconds. Prints the latency of every GET and POST in milliseconds, as JSON.

    python bench/ballot_load.py spec.json      # spec written by bench/assessment.py
"""

import http.client
import json
import random
import re
import sys
import threading
import time
from urllib.parse import urlencode, urlsplit

CLIENTS = 50
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def main(spec_path: str) -> None:
    spec = json.load(open(spec_path))
    base = urlsplit(spec["base"])
    codes = spec["codes"]
    shares = [codes[n::CLIENTS] for n in range(CLIENTS)]
    got: list[float] = []
    posted: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(CLIENTS)
    proxy = {"X-Forwarded-Proto": "https"}  # as behind the TLS-terminating proxy of production

    def client(share, seed):
        rng = random.Random(seed)
        connection = http.client.HTTPConnection(base.hostname, base.port, timeout=30)
        start.wait()
        for code in share:
            path = f"/v/{code}/"
            time.sleep(rng.uniform(0, 2))  # the next voter takes the phone out and scans
            began = time.perf_counter()
            connection.request("GET", path, headers=proxy)
            response = connection.getresponse()
            page = response.read()
            took_get = (time.perf_counter() - began) * 1000
            cookie = ""
            for header, value in response.getheaders():
                if header.lower() == "set-cookie" and value.startswith(spec["csrf_cookie"] + "="):
                    cookie = value.split(";", 1)[0]
            token = TOKEN.search(page)
            if response.status != 200 or token is None or not cookie:
                with lock:
                    failures.append(f"GET {response.status}")
                continue
            time.sleep(rng.uniform(0, 2))  # the voter reads the ballot and taps
            body = urlencode(
                {"csrfmiddlewaretoken": token.group(1).decode()}
                | {f"m{pk}": rng.choice(spec["marks"]) for pk in spec["debriefers"]}
            )
            headers = proxy | {
                "Cookie": cookie,
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://{base.netloc}",
                "Referer": f"https://{base.netloc}{path}",
            }
            began = time.perf_counter()
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            answer = response.read()
            took = (time.perf_counter() - began) * 1000
            with lock:
                got.append(took_get)
                posted.append(took)
                if response.status != 200 or "投票成功".encode() not in answer:
                    failures.append(f"POST {response.status}")
        connection.close()

    threads = [threading.Thread(target=client, args=(share, n)) for n, share in enumerate(shares)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(f"{len(failures)} ballots failed: {failures[:5]}")
    print(json.dumps({"get_ms": got, "post_ms": posted}))


if __name__ == "__main__":
    main(sys.argv[1])
