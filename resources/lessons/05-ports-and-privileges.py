# title: Ports: well-known, registered, dynamic
# A port is a 16-bit number, 0 to 65535, split in three ranges: well-known (0-1023),
# registered (1024-49151) and dynamic (49152-65535). Only the administrator may bind a
# well-known port; everyone else gets EACCES.
# level: beginner
# topics: ports, port classes, bind, EACCES, ephemeral ports
import socket

# --- you ---
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
# Port 0 is not a real port: it asks the kernel to choose a free one for you.
s.bind(('127.0.0.1', 0))
chosen = s.getsockname()[1]
print('the kernel chose port', chosen)
# Linux picks these "ephemeral" ports from 32768 to 60999 (see
# /proc/sys/net/ipv4/ip_local_port_range), so they can land in the registered range as
# well as the dynamic one. The card shows which class this one is in.
assert chosen >= 1024
s.close()
# A registered port, picked by the kernel, is fine for anyone. Now a well-known one:
privileged = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
# pause
# Port 1 is well-known. Will the kernel let you bind it? As a normal user: EACCES
# (PermissionError). As root (the administrator): it works - unless another program
# holds port 1 at that very moment (EADDRINUSE). The workbench runs as you.
# expect: EACCES or EADDRINUSE or ok
privileged.bind(('127.0.0.1', 1))
privileged.close()
# Ports outside 0-65535 never reach the kernel: Python refuses them itself.
wrong = socket.socket()
# expect: OverflowError
wrong.bind(('127.0.0.1', 70000))
wrong.close()
