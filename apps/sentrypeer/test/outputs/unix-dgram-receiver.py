"""Test syslog receiver: binds a Unix datagram socket (what /dev/log is) and prints every datagram it
receives as one hex line on stdout, after a READY line. Node has no Unix datagram sockets, hence Python."""
import os
import socket
import sys

path = sys.argv[1]
try:
    os.unlink(path)
except FileNotFoundError:
    pass
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(path)
print("READY", flush=True)
while True:
    data = sock.recv(65536)
    print(data.hex(), flush=True)
