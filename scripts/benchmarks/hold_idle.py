"""Opens N keep-alive connections, sends one request on each so they are idle keep-alive connections, and holds them."""
import socket
import sys
import time

host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
sockets = []
for _ in range(count):
    s = socket.create_connection((host, port))
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    sockets.append(s)
ok = 0
for s in sockets:
    s.settimeout(10)
    if s.recv(4096).startswith(b"HTTP/1.1 200"):
        ok += 1
print(f"holding {ok} idle keep-alive connections", flush=True)
time.sleep(600)
