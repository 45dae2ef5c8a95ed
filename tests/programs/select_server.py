# One thread, many sockets: a select.select() loop over the listener and every accepted
# connection. It answers each message in capitals and stops once two clients have come
# and gone. Run with select_clients.py ($PORT_FILE carries the port).
import os
import select
import socket


def publish_port(port):
    path = os.environ['PORT_FILE']
    with open(path + '.tmp', 'w') as f:
        f.write(str(port))
    os.replace(path + '.tmp', path)


listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.bind(('127.0.0.1', 0))
listener.listen(5)
publish_port(listener.getsockname()[1])

inputs = [listener]
accepted = 0
finished = 0
messages = []
while finished < 2:
    readable, _, _ = select.select(inputs, [], [])
    for s in readable:
        if s is listener:
            conn, addr = listener.accept()
            inputs.append(conn)
            accepted += 1
            continue
        data = s.recv(1024)
        if data:
            messages.append(data.decode())
            s.sendall(data.upper())
        else:
            inputs.remove(s)
            s.close()
            finished += 1
listener.close()
print('accepted', accepted, 'connections')
print('answered', len(messages), 'messages:', ' '.join(sorted(messages)))
