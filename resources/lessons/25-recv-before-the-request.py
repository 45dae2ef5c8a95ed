# title: recv() before the request
# The course's example 1 prepares its message and connects - and then calls recv()
# without ever sending the message. A web server speaks only when spoken to. This
# lesson shows what that recv() does, and why, and then sends.
# level: beginner
# topics: recv, blocking, timeout, request and response
# peer: web = course-web
import socket

# --- client ---
message = b'GET /5062CEM.php\r\n'
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect(web)
# A plain recv() would wait here until the server gives up: this course-web closes a
# connection that sends no request within 10 seconds, and recv() then returns b''. A server
# that never gives up would leave it waiting for ever. A timeout of one second keeps the
# lesson moving: settimeout(1.0) makes recv() give up after one second.
s.settimeout(1.0)
# pause
# The course's next line is data = s.recv(1024). The request was never sent. What does
# recv() return?
# expect: timeout
data = s.recv(1024)
# Nothing. The server waits for your request; you wait for its answer. Neither side moves
# first, so recv() blocks until the timeout ends it.
s.settimeout(None)
# Send the request first, then read: now the page comes.
s.sendall(message)
data = s.recv(1024)
assert data == b'<html>\n<head>\n\t<title>5062CEM - Networking Demo</title>\n</head>\n<body>\nHello, welcome to 5062CEM!</body>\n'
s.close()

# --- reader ---
# Now watch a real wait, without a timeout. This program has two threads, reader and
# writer, sharing one socket, t. The stage draws each thread as a host of its own: t's card
# sits on reader's host, where it was made, and writer's calls land on that same card.
t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
t.connect(web)
# pause
# The reader calls recv() before anything was sent. See its card: it blocks.
page = t.recv(1024)

# --- writer ---
# In a program with one thread, nothing else could happen now, until the server gave up
# (10 seconds here). A second thread can still send on the same socket while the first
# waits in recv(): a socket is full duplex.
t.sendall(b'GET /5062CEM.php\r\n')

# --- reader ---
# The blocked recv() returns the moment the page arrives.
assert page == b'<html>\n<head>\n\t<title>5062CEM - Networking Demo</title>\n</head>\n<body>\nHello, welcome to 5062CEM!</body>\n'
t.close()
