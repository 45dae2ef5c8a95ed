# title: What is left after the page
# The course reads the page with recv(1024), then calls recv(10) on the same socket and
# shows b'<html>\n<he'. Run it and see what recv(10) really returns - and where those
# ten bytes come from.
# level: beginner
# topics: recv, byte stream, end of data, empty read
# peer: web = course-web
import socket

# --- client ---
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect(web)
s.sendall(b'GET /5062CEM.php\r\n')
data = s.recv(1024)
assert len(data) == 105
# pause
# recv(1024) took the whole page, and the server has finished sending: it shut down its
# sending side. What does recv(10) return now?
data2 = s.recv(10)
# b'': nothing is left, and nothing more will come. An empty read is how a socket says
# the other side has finished. The course's b'<html>\n<he' cannot come from here: those
# bytes were read already, and TCP never delivers a byte twice.
assert data2 == b''
# Asking again changes nothing. The end of the stream stays the end.
assert s.recv(10) == b''
s.close()

# --- client ---
# The course's ten bytes are what recv(10) returns as the first read of a fresh
# connection: the first ten bytes of the page.
t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
t.connect(web)
t.sendall(b'GET /5062CEM.php\r\n')
first = t.recv(10)
assert first == b'<html>\n<he'
# The other 95 bytes wait in the kernel's receive queue for the next recv().
rest = t.recv(1024)
assert len(rest) == 95
assert first + rest == data
t.close()
