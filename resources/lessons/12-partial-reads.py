# title: recv(n) returns up to n bytes
# TCP is a stream of bytes, not of messages. recv(n) returns whatever has arrived, up to
# n bytes: a small n reads a message in pieces, and two sends may arrive as one read.
# level: beginner
# topics: recv, stream, partial reads, message boundaries
import socket

# --- server ---
server = socket.socket()
server.bind(('127.0.0.1', 0))
server.listen(1)

# --- browser ---
browser = socket.socket()
browser.connect(('127.0.0.1', server.getsockname()[1]))

# --- server ---
page, addr = server.accept()
page.sendall(b'<html>\n<head>\n\t<title>5062CEM - Networking Demo</title>\n</head>\n')

# --- browser ---
# pause
# The page so far is 64 bytes long. What does recv(10) return?
start = browser.recv(10)
assert start == b'<html>\n<he'
# The rest stays in the kernel's receive queue until you ask for it.
rest = browser.recv(1024)
assert len(start) + len(rest) == 64

# --- server ---
# Two sends, one right after the other.
page.send(b'<body>')
page.send(b'</body>')

# --- browser ---
# pause
# Two sends. How many reads does it take? MSG_WAITALL asks recv() to wait until all 13
# bytes are there (the second send may still be on its way) - and then one read returns
# both: TCP keeps no boundary between them, the bytes queue up as one stream.
both = browser.recv(13, socket.MSG_WAITALL)
print(both)
assert both == b'<body></body>'
browser.close()

# --- server ---
page.close()
server.close()
