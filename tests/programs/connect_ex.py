# connect_ex() returns the error number where connect() would raise: 0 against a
# listener, ECONNREFUSED against a port that is bound but not listening (so refusal is
# certain), EISCONN when asked again on a connected socket.
import errno
import socket


def name(code):
    return 'OK' if code == 0 else errno.errorcode[code]


HOST = '127.0.0.1'
listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.bind((HOST, 0))
listener.listen(1)
deaf = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
deaf.bind((HOST, 0))

refused = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
code = refused.connect_ex((HOST, deaf.getsockname()[1]))
print('bound, not listening:', code == errno.ECONNREFUSED, name(code))
refused.close()

client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
code = client.connect_ex((HOST, listener.getsockname()[1]))
print('listening:', code, name(code))
code = client.connect_ex((HOST, listener.getsockname()[1]))
print('again, once connected:', name(code))
conn, addr = listener.accept()
print('accepted the client:', addr == client.getsockname())
client.sendall(b'ping')
print('the server reads', conn.recv(16))

for s in (conn, client, listener, deaf):
    s.close()
