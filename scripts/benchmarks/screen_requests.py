#!/usr/bin/env python3
"""Sends the same POST /screen requests every run, one after another on one keep-alive connection: the names of
screen.lua, in order, each request with its own reference. Prints how many were answered 200.

    screen_requests.py PORT KEY COUNT
"""
import http.client, json, sys

port, key, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
names = ["Hikvision", "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO LTD", "Banco Nacional de Cuba", "Siemens AG", "Acme Trading LLC",
         "Emiro del Carmen Ropero Suarez", "Gazprom OAO", "Jennifer Adams", "Nimr International LLC", "Uralvagonzavod",
         "Ocean Star Shipping", "Mohammad Ali", "Sergei Ivanovich Neverov", "Contoso Pharmaceuticals", "Bank Melli Iran"]
connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
answered = 0
for i in range(count):
    body = json.dumps({"name": names[i % len(names)], "reference": f"instructions-{i}"})
    connection.request("POST", "/screen", body, {"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    response = connection.getresponse()
    response.read()
    answered += response.status == 200
print(answered)
