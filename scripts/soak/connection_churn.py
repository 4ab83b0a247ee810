#!/usr/bin/env python3
"""Opens and closes many connections to a running Clearance server in a mix of the ways clients end them, and checks
that the server outlives them unchanged: alive, its thread count and resident memory flat, keyed p99 of POST /screen
no worse after than before.

    connection_churn.py --port P --pid PID --key KEY [--tls] [--count N] [--threads T]

The mix, by connection number: a keep-alive connection with three requests closed by the client; a keyed screen
with `Connection: close` (the server closes); a keyless request with `Connection: close`; a connection reset by the
client half way through a request head (SO_LINGER 0). With --tls every connection is TLS (certificates are not
checked: the server's is self-signed). Exits 1 when a check fails.
"""
import argparse, json, os, socket, ssl, struct, sys, threading, time

SCREEN = json.dumps({"name": "Hangzhou Hikvision Digital Technology"}).encode()


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--tls", action="store_true")
    p.add_argument("--count", type=int, default=100_000)
    p.add_argument("--threads", type=int, default=8)
    return p.parse_args()


class Client:
    def __init__(self, args):
        self.args = args
        self.context = None
        if args.tls:
            self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            self.context.check_hostname = False
            self.context.verify_mode = ssl.CERT_NONE

    def connect(self):
        raw = socket.create_connection(("127.0.0.1", self.args.port), timeout=10)
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return self.context.wrap_socket(raw) if self.context else raw

    def request(self, sock, method, path, body=b"", close=False, key=True):
        head = f"{method} {path} HTTP/1.1\r\nHost: x\r\n"
        if key:
            head += f"Authorization: Bearer {self.args.key}\r\n"
        if body:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        if close:
            head += "Connection: close\r\n"
        sock.sendall(head.encode() + b"\r\n" + body)
        return read_response(sock)


def read_response(sock):
    """The status of the next response; a status other than 2xx carries its body, for the failure message."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed before a response head")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed within a response body")
        rest += chunk
    return status if status < 300 else (status, rest[:length].decode(errors="replace"))


def one_connection(client, number):
    kind = number % 4
    sock = client.connect()
    try:
        if kind == 0:
            for _ in range(3):
                expect(client.request(sock, "GET", "/healthz", key=False), 200)
        elif kind == 1:
            expect(client.request(sock, "POST", "/screen", SCREEN, close=True), 200)
        elif kind == 2:
            expect(client.request(sock, "GET", "/healthz", close=True, key=False), 200)
        else:
            sock.sendall(b"POST /screen HTTP/1.1\r\nHost: x\r\nContent-Le")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    finally:
        sock.close()


def expect(status, wanted):
    if status != wanted:
        raise RuntimeError(f"answered {status}, expected {wanted}")


def keyed_p99_or_failure(client):
    try:
        return keyed_p99(client), None
    except Exception as error:  # the answer that failed is the finding
        return float("inf"), str(error)


def keyed_p99(client, count=400):
    sock = client.connect()
    times = []
    try:
        for _ in range(count):
            start = time.perf_counter()
            expect(client.request(sock, "POST", "/screen", SCREEN), 200)
            times.append(time.perf_counter() - start)
    finally:
        sock.close()
    times.sort()
    return times[int(len(times) * 0.99) - 1] * 1000


def sample(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            fields[name] = value.split()[0] if value.split() else ""
    return int(fields["Threads"]), int(fields["VmRSS"]) // 1024


def main():
    args = parse_args()
    client = Client(args)
    keyed_p99(client, 200)  # warm up: caches, worker threads, malloc arenas
    before = keyed_p99(client)
    errors = []
    samples = []
    next_number = iter(range(args.count))
    lock = threading.Lock()

    def work():
        while True:
            with lock:
                number = next(next_number, None)
            if number is None:
                return
            try:
                one_connection(client, number)
            except Exception as error:  # every failure is counted; the run fails on any
                with lock:
                    errors.append(f"connection {number} (kind {number % 4}): {error}")

    started = time.time()
    threads = [threading.Thread(target=work) for _ in range(args.threads)]
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        time.sleep(2)
        if not os.path.exists(f"/proc/{args.pid}"):
            break
        samples.append(sample(args.pid))
    for thread in threads:
        thread.join()
    elapsed = time.time() - started
    alive = os.path.exists(f"/proc/{args.pid}")
    after, after_failure = keyed_p99_or_failure(client) if alive else (float("inf"), "the server died")
    time.sleep(1)
    final = sample(args.pid) if alive else (0, 0)
    quarter = samples[len(samples) // 4] if samples else final
    print(f"connections: {args.count} in {elapsed:.0f} s ({'TLS' if args.tls else 'plain'}), errors: {len(errors)}")
    for error in errors[:5]:
        print(f"  {error}")
    print(f"threads: {' '.join(str(t) for t, _ in samples[::max(1, len(samples) // 12)])} -> {final[0]}")
    print(f"rss MB:  {' '.join(str(r) for _, r in samples[::max(1, len(samples) // 12)])} -> {final[1]}")
    print(f"keyed POST /screen p99: {before:.1f} ms before, {after:.1f} ms after" + (f" ({after_failure})" if after_failure else ""))
    failures = []
    if not alive:
        failures.append("the server died")
    if errors:
        failures.append(f"{len(errors)} connections failed")
    # Worker threads start on demand (up to the configured bound) and end after a minute idle: flat means no higher
    # at the end than the busiest point of the first quarter, give or take a few.
    if alive and final[0] > max(t for t, _ in samples[: max(1, len(samples) // 4)]) + 4:
        failures.append(f"threads grew from {quarter[0]} to {final[0]}")
    # Malloc arenas and caches fill early; a leak keeps growing.
    if alive and final[1] > quarter[1] * 1.2 + 16:
        failures.append(f"resident memory grew from {quarter[1]} MB to {final[1]} MB")
    if after > max(before * 2, before + 5):
        failures.append(f"keyed p99 went from {before:.1f} ms to {after:.1f} ms")
    print("connection soak " + ("passed" if not failures else "FAILED: " + "; ".join(failures)))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
