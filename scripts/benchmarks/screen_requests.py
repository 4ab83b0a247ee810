#!/usr/bin/env python3
"""Sends the same POST /screen requests every run, one after another on one keep-alive connection: the names of
screen.lua, in order, each request with its own reference. Prints how many were answered 200.

    screen_requests.py PORT KEY COUNT
"""
import http.client, json, os, re, sys

port, key, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
# The names screen.lua rotates through, read from it so the two loads screen the same names.
lua = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "screen.lua"), encoding="utf-8").read()
names = re.findall(r'"([^"]+)"', lua[lua.index("local names = {"):lua.index("}")])
connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
answered = 0
for i in range(count):
    body = json.dumps({"name": names[i % len(names)], "reference": f"instructions-{i}"})
    connection.request("POST", "/screen", body, {"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    response = connection.getresponse()
    response.read()
    answered += response.status == 200
print(answered)
