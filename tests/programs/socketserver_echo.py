# socketserver.TCPServer with a StreamRequestHandler: the handler reads lines with
# self.rfile.readline() and writes answers to self.wfile. serve_forever() runs in a
# thread; the main thread is the client and shuts the server down at the end.
import socket
import socketserver
import threading


class ShoutHandler(socketserver.StreamRequestHandler):
    def handle(self):
        while True:
            line = self.rfile.readline()
            if not line:
                break
            self.wfile.write(line.upper())


with socketserver.TCPServer(('127.0.0.1', 0), ShoutHandler) as server:
    host, port = server.server_address
    worker = threading.Thread(target=server.serve_forever)
    worker.start()
    for client in range(2):
        with socket.create_connection((host, port)) as sock:
            f = sock.makefile('rwb')
            for word in (b'hello', b'socketserver', b'client %d' % client):
                f.write(word + b'\n')
                f.flush()
                print(f.readline().decode().rstrip('\n'))
            f.close()
    server.shutdown()
    worker.join()
print('server stopped')
