# title: Sending data to a web page
# The course's example 2: the request carries data for the server in its query string,
# ?lecturer=Ian%20Cornelius, and the page greets whoever it names.
# level: beginner
# topics: HTTP, query string, percent-encoding, sendall, recv
# peer: web = course-web
import socket

# --- client ---
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect(web)
# A URL holds no spaces, so the space in the name travels as %20: a percent sign and the
# byte's value in hex. The space before \r\n is in the course's message too; the server
# reads the request line word by word and does not mind it.
message = 'GET /5062CEM.php?lecturer=Ian%20Cornelius \r\n'
# The course hands this str to sendall(). In Python 3, encode() it to bytes first.
s.sendall(message.encode())
# pause
# The course reads with recv(136). Is that enough for the whole page?
data = s.recv(136)
assert data == b'<html>\n<head>\n\t<title>5062CEM - Networking Demo</title>\n</head>\n<body>\nHello Ian Cornelius, and welcome to 5062CEM!</body>\n'
# The server decoded %20 back to a space. The page is 123 bytes: recv(136) returns what
# has arrived, up to 136, and never waits to fill the rest.
assert len(data) == 123
s.close()

# --- client ---
# Any name works. The course tries a second lecturer, in its own with block: the socket
# closes by itself at the end of the block.
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as t:
    t.connect(web)
    t.sendall(b'GET /5062CEM.php?lecturer=Terry%20Richards \r\n')
    greeting = t.recv(1024)
assert greeting == b'<html>\n<head>\n\t<title>5062CEM - Networking Demo</title>\n</head>\n<body>\nHello Terry Richards, and welcome to 5062CEM!</body>\n'
