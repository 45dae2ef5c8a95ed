# title: A web page over a raw socket
# The course's example 1: a client connects to a web server, sends the simplest request
# there is, and reads the page that comes back. The web server is a built-in peer of the
# workbench: it serves the course's page on this machine.
# level: beginner
# topics: connect, sendall, recv, HTTP, web server, bytes and str
# peer: web = course-web
import socket

# --- client ---
# The course writes ip = '' and port = 80. Port 80 is a privileged port, and another
# server may hold it already, so the workbench's web server listens on a free port. The
# name web holds its address: a tuple such as ('127.0.0.1', 43121).
print(web)
# AF_INET: IPv4. SOCK_STREAM: TCP, a stream of bytes to the web server.
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
# connect() takes the address as one tuple, as the course says: s.connect((ip, port)).
s.connect(web)
# The course's message is a str: "GET /5062CEM.php\r\n". That worked in Python 2.
# pause
# In Python 3 a socket sends bytes, not text. What does sendall() say to a str?
# expect: TypeError
s.sendall("GET /5062CEM.php\r\n")
# Nothing was sent. Write the message as bytes, b'...', or encode the str.
s.sendall(b'GET /5062CEM.php\r\n')
# pause
# recv(1024) asks for up to 1024 bytes. How many come back?
data = s.recv(1024)
assert data == b'<html>\n<head>\n\t<title>5062CEM - Networking Demo</title>\n</head>\n<body>\nHello, welcome to 5062CEM!</body>\n'
# 105 bytes: the whole page in one read, exactly the course's bytes. There is no status
# line and no header: a request without a version (HTTP/0.9) gets the page alone.
assert len(data) == 105
# The bytes are UTF-8 text; decode() turns them into a str you can print.
print(data.decode())
s.close()
