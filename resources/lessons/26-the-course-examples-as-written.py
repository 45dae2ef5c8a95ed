# title: The course's two examples, exactly as written
# The course's example 1 and example 2, line for line in Python 3. Only ip and port are
# changed, to point at the workbench's web server. Step them and predict each line: the
# message that is never sent, what recv(136) gets, and s.recv(10) after the with block.
# Lessons 22 to 25 then take each mistake apart and mend it.
# level: beginner
# topics: course examples, recv, with, closed socket, EBADF, request and response
# peer: web = course-web
import socket

# --- client ---
# Example 1.
# The course writes ip = '' and port = 80. Port 80 needs a web server on this machine,
# so these two lines take the workbench's own, on the address web holds.
ip = web[0]
port = web[1]
message = "GET /5062CEM.php\r\n"
# pause
# The request is in message, but no line of the block below sends it: the course has no
# sendall(). Predict: what does recv(1024) get?
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
    s.connect((ip, port))
    # The web server waits for a request; the client waits for a page. Watch the card's
    # blocked timer.
    data = s.recv(1024)
# Not the page: b''. After 10 seconds without a request this web server gave up and closed
# the connection (a real one gives up too, after a time limit of its own), and an empty
# read means the other side has closed. The course shows a page here; it cannot come
# without a request.
assert data == b''
# pause
# The with block has ended, and it closed s on the way out. The course calls recv(10) on
# it next. What does a closed socket say?
# expect: EBADF
data2 = s.recv(10)
# OSError, errno EBADF, "Bad file descriptor": after close() the socket has no file
# descriptor left for the kernel to read from. The course's b'<html>\n<he' cannot come
# from here: lesson 24 shows where ten bytes like those come from.
assert s.fileno() == -1

# Example 2, in the same program, after example 1.
ip = web[0]
port = web[1]
# The request names a lecturer in its query string; %20 is a space.
message = "GET /5062CEM.php?lecturer=Ian%20Cornelius \r\n"
# pause
# Again nothing sends message. recv(136) asks for up to 136 bytes: the greeting for Ian
# Cornelius is 123, so 136 would be enough - if the request had gone out. What comes back?
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
    s.connect((ip, port))
    # Waiting again, for the same reason.
    data = s.recv(136)
# b'' again, after the same 10 seconds. A bigger or smaller number in recv() changes
# nothing: it is only the most it may return, never a request to the server.
assert data == b''
# Had it been sent as it stands, message would have failed too: it is a str, and a
# Python 3 socket sends bytes (lesson 22). Lesson 23 sends it as bytes and gets the
# greeting.
assert isinstance(message, str)
