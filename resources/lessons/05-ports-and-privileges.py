# title: Ports: well-known, registered, dynamic
# A port is a 16-bit number, 0 to 65535, in three classes by convention: well-known
# (0-1023), registered (1024-49151) and dynamic (49152-65535). What the kernel does with
# them is set by two of its own settings, which this lesson reads: where it picks a port
# for you, and below which port bind() needs the administrator. connect() needs no rights.
# level: beginner
# topics: ports, port classes, bind, connect, EACCES, ephemeral ports
import os
import socket

# --- you ---
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
# Port 0 is not a real port: it asks the kernel to choose a free one for you.
s.bind(('127.0.0.1', 0))
chosen = s.getsockname()[1]
print('the kernel chose port', chosen)
# It chooses from its "ephemeral" range, a setting of its own - not from a class of ports.
# So the port it picks may be registered or dynamic, whichever the range covers.
with open('/proc/sys/net/ipv4/ip_local_port_range') as f:
    low, high = (int(n) for n in f.read().split())
print('this kernel picks ports from', low, 'to', high)
assert low <= chosen <= high
s.close()
# Which ports need the administrator is a setting too: binding below
# ip_unprivileged_port_start (1024 unless someone changed it) needs root, or the
# CAP_NET_BIND_SERVICE capability.
with open('/proc/sys/net/ipv4/ip_unprivileged_port_start') as f:
    unprivileged = int(f.read())
print('binding a port below', unprivileged, 'needs the administrator')
print('you run as', 'root' if os.geteuid() == 0 else 'a normal user (uid %d)' % os.geteuid())
privileged = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
# pause
# Port 1 is well-known. Will the kernel let you bind it? The lines printed above say
# where the administrator's ports end and who you run as: the workbench runs as you.
# expect: EACCES or EADDRINUSE or ok
privileged.bind(('127.0.0.1', 1))
# Below that setting a normal user gets EACCES (PermissionError); root, or a program given
# CAP_NET_BIND_SERVICE, binds it - unless another program holds port 1 at that very moment
# (EADDRINUSE). Where the setting is 0 (some containers set it so), anyone may.
privileged.close()
# The rule is about bind() only: anyone may connect() to a low port (a browser connects to
# port 80 with no rights at all). Nothing listens on port 1 here, so the answer is a
# refusal from the other side, not a permission error.
visitor = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
# expect: ECONNREFUSED or ok
visitor.connect(('127.0.0.1', 1))
visitor.close()
# Ports outside 0-65535 never reach the kernel: Python refuses them itself.
wrong = socket.socket()
# expect: OverflowError
wrong.bind(('127.0.0.1', 70000))
wrong.close()
