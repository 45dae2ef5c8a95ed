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
# The page so far is 64 bytes long. recv(10) returns at most 10 of them, and what it does
# not take stays in the kernel's receive queue until the next call. A reader that needs a
# whole message loops until it has it: how many calls that takes depends on how the bytes
# arrived, so the loop counts bytes, never calls.
start = browser.recv(10)
print(start)
received = start
while len(received) < 64:
    piece = browser.recv(10)
    if not piece:
        break  # the server closed before the page was complete
    received += piece
assert received.endswith(b'</head>\n')

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
