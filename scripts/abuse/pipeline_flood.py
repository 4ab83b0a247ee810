#!/usr/bin/env python3
"""Keyed POST /screen latency while other clients abuse the server, against a running Clearance server:

    pipeline_flood.py --port P --key KEY [--mode pipeline|export] [--clients 100] [--seconds 20]

pipeline: each client, with no key, pipelines requests to a keyed route without ever reading the answers.
export:   each client, with the key, asks for GET /decisions/export and reads the answer one byte a second.
Prints keyed p99 before and during the abuse; exits 1 when it rose above max(5x, +50 ms) or a keyed request failed.
"""
import argparse, json, socket, sys, threading, time

SCREEN = json.dumps({"name": "Hangzhou Hikvision Digital Technology"}).encode()


def keyed_latencies(port, key, seconds):
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    request = (f"POST /screen HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key}\r\nContent-Type: application/json\r\n"
               f"Content-Length: {len(SCREEN)}\r\n\r\n").encode() + SCREEN
    times, end = [], time.time() + seconds
    while time.time() < end:
        start = time.perf_counter()
        sock.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data:
            data += sock.recv(65536)
        head, _, body = data.partition(b"\r\n\r\n")
        if b" 200 " not in head.split(b"\r\n")[0]:
            raise RuntimeError(head.split(b"\r\n")[0].decode())
        length = int([l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")][0].split(b":")[1])
        while len(body) < length:
            body += sock.recv(65536)
        times.append(time.perf_counter() - start)
        time.sleep(0.01)
    sock.close()
    times.sort()
    return times[int(len(times) * 0.99) - 1] * 1000


def pipeliner(port, stop):
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    burst = b"GET /decisions HTTP/1.1\r\nHost: x\r\n\r\n" * 200
    try:
        while not stop.is_set():
            sock.sendall(burst)
    except OSError:
        pass  # the server closed it: what a bound may do
    finally:
        sock.close()


def slow_exporter(port, key, stop):
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.sendall(f"GET /decisions/export HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key}\r\n\r\n".encode())
    try:
        while not stop.is_set() and sock.recv(1):
            time.sleep(1)
    except OSError:
        pass
    finally:
        sock.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--mode", choices=["pipeline", "export"], default="pipeline")
    p.add_argument("--clients", type=int, default=100)
    p.add_argument("--seconds", type=float, default=20)
    args = p.parse_args()
    before = keyed_latencies(args.port, args.key, 5)
    stop = threading.Event()
    target = (lambda: pipeliner(args.port, stop)) if args.mode == "pipeline" else (lambda: slow_exporter(args.port, args.key, stop))
    abusers = [threading.Thread(target=target, daemon=True) for _ in range(args.clients)]
    for thread in abusers:
        thread.start()
    time.sleep(2)
    try:
        during = keyed_latencies(args.port, args.key, args.seconds)
        failure = None
    except Exception as error:  # a failed keyed request is the finding
        during, failure = float("inf"), str(error)
    stop.set()
    print(f"{args.mode}, {args.clients} clients: keyed POST /screen p99 {before:.1f} ms alone, {during:.1f} ms during"
          + (f" ({failure})" if failure else ""))
    ok = failure is None and during <= max(before * 5, before + 50)
    print("abuse check " + ("passed" if ok else "FAILED"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
