# makefile() turns a socket into a file: the server writes lines through a text file
# object, in pieces that cut lines in half, and the client reads them back whole with
# readline(), until readline() returns '' at the end of the stream.
import socket
import threading

listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.bind(('127.0.0.1', 0))
listener.listen(1)


def server():
    conn, _ = listener.accept()
    with conn:
        # The first lines go out with raw sends that end in the middle of a line...
        conn.sendall(b'first line\nsecond ')
        conn.sendall(b'line\nthird line is a little ')
        conn.sendall(b'longer\n')
        # ...the rest through a file object, flushed once at the end.
        with conn.makefile('w', encoding='utf-8', newline='\n') as out:
            for i in range(4, 8):
                out.write('line %d: %s\n' % (i, '=' * (i * 300)))
            out.write('no newline at the end')


t = threading.Thread(target=server)
t.start()
client = socket.create_connection(listener.getsockname())
reader = client.makefile('r', encoding='utf-8', newline='\n')
count = 0
while True:
    line = reader.readline()
    if not line:
        break
    count += 1
    ending = 'ends in a newline' if line.endswith('\n') else 'no newline'
    print('line %d: %d characters, %s: %s' % (count, len(line), ending, line[:20].rstrip('\n')))
reader.close()
client.close()
t.join()
listener.close()
print(count, 'lines')
