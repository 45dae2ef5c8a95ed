# title: A socket as a file: makefile()
# The course calls a socket a file abstraction: open, read, write, close. makefile()
# makes that literal. It wraps a connected socket in a file object, so a program reads
# it line by line with readline() or a for loop, as it reads a text file. Underneath,
# the file still calls recv(): watch how often.
# level: intermediate
# topics: makefile, readline, for loop over lines, buffering, shutdown, create_server
import socket

# --- server ---
# create_server() is socket(), bind() and listen() in one call.
server = socket.create_server(('127.0.0.1', 0))
port = server.getsockname()[1]

# --- client ---
# create_connection() is socket() and connect() in one call.
client = socket.create_connection(('127.0.0.1', port))
# Three lines, one sendall(): TCP keeps no boundaries, only the newlines mark them.
client.sendall(b'hello\nsockets\ngoodbye\n')
# Done sending. The server's for loop ends when it reads the end of the stream.
client.shutdown(socket.SHUT_WR)

# --- server ---
conn, addr = server.accept()
# A text file over the socket: 'r' to read, decoded as UTF-8.
reader = conn.makefile('r', encoding='utf-8')
answered = []
# pause
# Predict: how many recv() calls does this loop make for three lines? Watch the C pane on
# each pass: it shows the system calls the line made, or that it made none.
for line in reader:
    conn.sendall(line.upper().encode('utf-8'))
    answered.append(line)
# One recv() on the first pass: the file asked for up to 8192 bytes and got all three
# lines at once. The second and third lines came from the file's own buffer, with no
# system call. The last recv() returned b'', and that ended the loop.
assert answered == ['hello\n', 'sockets\n', 'goodbye\n']
# Close the file and the socket: the file object holds a reference of its own, and the
# connection ends only when both are closed.
reader.close()
conn.close()
server.close()

# --- client ---
replies = client.makefile('rb')
# readline() returns one line, newline included; in 'rb' mode as bytes.
assert replies.readline() == b'HELLO\n'
# read() with no size reads to the end of the stream.
assert replies.read() == b'SOCKETS\nGOODBYE\n'
replies.close()
client.close()
