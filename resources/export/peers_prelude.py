# --- The lesson's built-in peers (added by the export) ------------------------------------
# In the workbench, "# peer: NAME = KIND" starts a built-in server for the lesson and binds
# NAME to its address. Here the same servers are small Python ones on a free loopback
# port; each connection is passed to a thread of its own, as the course describes.
import re as _peer_re
import socket as _peer_socket
import threading as _peer_threading
import time as _peer_time

_PEER_TIMEOUT = 10.0  # course-web: seconds a client has to send its request
_PAGE_HEAD = b'<html>\n<head>\n\t<title>5062CEM - Networking Demo</title>\n</head>\n<body>\n'
_PAGE_TAIL = b'</body>\n'
_REASONS = {200: b'OK', 400: b'Bad Request', 404: b'Not Found', 405: b'Method Not Allowed',
            505: b'HTTP Version Not Supported'}


def _html(text):
    return (text.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')
            .replace('"', '&quot;').replace("'", '&#39;').encode())


def _course_page(lecturer=''):
    if not lecturer:
        return _PAGE_HEAD + b'Hello, welcome to 5062CEM!' + _PAGE_TAIL
    return _PAGE_HEAD + b'Hello ' + _html(lecturer) + b', and welcome to 5062CEM!' + _PAGE_TAIL


def _error_page(status, sentence):
    return (b'<html>\n<head>\n\t<title>%d %s</title>\n</head>\n<body>\n' % (status, _REASONS[status])
            + sentence + _PAGE_TAIL)


def _unquote(text, form=False):
    if form:
        text = text.replace(b'+', b' ')
    if _peer_re.search(rb'%(?![0-9A-Fa-f]{2})', text):
        raise ValueError('bad percent escape')
    return _peer_re.sub(rb'%([0-9A-Fa-f]{2})', lambda m: bytes([int(m.group(1), 16)]), text)


def _page_for(method, target):
    """(status, body, allow) for a well-formed request."""
    for scheme in (b'http://', b'https://'):
        if target.startswith(scheme):
            slash = target.find(b'/', len(scheme))
            target = b'/' if slash < 0 else target[slash:]
    if not target.startswith(b'/'):
        return 400, _error_page(400, b'The path in a request starts with /.'), False
    target = target.split(b'#')[0]
    path, _, query = target.partition(b'?')
    try:
        path = _unquote(path)
        pairs = [(_unquote(k, True), _unquote(v, True))
                 for k, _, v in (p.partition(b'=') for p in query.split(b'&') if query)]
    except ValueError:
        return 400, _error_page(400, b'A % must be followed by two hex digits, as in %20.'), False
    if path != b'/5062CEM.php':
        return 404, _error_page(404, b'There is no page at ' + _html(path.decode('utf-8', 'replace'))
                                + b'. The course\'s page is <a href="/5062CEM.php">/5062CEM.php</a>.'), False
    if method not in (b'GET', b'HEAD'):
        return 405, _error_page(405, b'This page answers GET (and HEAD) only.'), True
    lecturer = next((v for k, v in pairs if k == b'lecturer' and v), b'')
    return 200, _course_page(lecturer.decode('utf-8', 'replace')), False


def _full(status, body, allow=False, head_only=False):
    head = b'HTTP/1.1 %d %s\r\n' % (status, _REASONS[status])
    head += b'Date: ' + _peer_time.strftime('%a, %d %b %Y %H:%M:%S GMT', _peer_time.gmtime()).encode() + b'\r\n'
    head += b'Server: sockbench course-web\r\nContent-Type: text/html; charset=utf-8\r\n'
    head += b'Content-Length: %d\r\n' % len(body)
    head += b'Allow: GET, HEAD\r\n' if allow else b''
    head += b'Connection: close\r\n\r\n'
    return head if head_only else head + body


def _bad(status, why):
    return _full(status, _error_page(status, b'The request could not be read: ' + why + b'.'))


def _web_answer(data):
    """The bytes to answer what arrived so far, or None while the request is incomplete."""
    data = data.lstrip(b'\r\n')
    end = data.find(b'\n')
    if end < 0:
        return _bad(400, b'the request line is too long') if len(data) > 8192 else None
    line = data[:end].rstrip(b'\r')
    if any((b < 0x20 and b != 9) or b >= 0x7f for b in line):
        return _bad(400, b'the request line holds a control character')
    words = [w for w in line.split(b' ') if w]
    if len(words) == 2:  # the course's form: no version, no headers (HTTP/0.9)
        if words[0] != b'GET':
            return _bad(400, b'a request without a version can only be GET')
        return _page_for(*words)[1]
    if len(words) != 3:
        return _bad(400, b'that is not a request line')
    method, target, version = words
    if not _peer_re.fullmatch(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+", method):
        return _bad(400, b'that is not a method')
    match = _peer_re.fullmatch(rb'HTTP/([0-9])\.([0-9])', version)
    if not match:
        return _bad(400, b'that is not an HTTP version')
    if match.group(1) != b'1':
        return _bad(505, b'only HTTP/1.0 and HTTP/1.1 are spoken here')
    hosts, at = 0, end + 1
    while True:
        newline = data.find(b'\n', at)
        if newline < 0:
            return _bad(400, b'the headers are too long') if len(data) > 8192 else None
        header, at = data[at:newline].rstrip(b'\r'), newline + 1
        if not header:
            break
        name, colon, _ = header.partition(b':')
        if header[:1] in (b' ', b'\t') or not colon or not _peer_re.fullmatch(
                rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+", name):
            return _bad(400, b'that is not a header')
        hosts += name.lower() == b'host'
    if version == b'HTTP/1.1' and hosts != 1:
        return _bad(400, b'an HTTP/1.1 request needs one Host header')
    status, body, allow = _page_for(method, target)
    return _full(status, body, allow, head_only=method == b'HEAD' and status == 200)


# The course-web connections being served. Each ends by a deadline of its own, so lesson
# actors that all wait are not stuck while one is open: course-web will close on them.
_peer_deadlines = set()


def _serve_course_web(conn):
    deadline = _peer_time.monotonic() + _PEER_TIMEOUT
    data, answer = b'', None
    _peer_deadlines.add(conn)
    try:
        while answer is None:
            left = deadline - _peer_time.monotonic()
            if left <= 0:
                return
            conn.settimeout(left)
            chunk = conn.recv(4096)
            if not chunk:
                return
            data += chunk
            answer = _web_answer(data)
        conn.sendall(answer)
        conn.shutdown(_peer_socket.SHUT_WR)
        # Read until the client closes, so that close() never meets unread bytes.
        deadline = _peer_time.monotonic() + _PEER_TIMEOUT
        while deadline > _peer_time.monotonic():
            conn.settimeout(deadline - _peer_time.monotonic())
            if not conn.recv(65536):
                break
    except OSError:
        pass
    finally:
        conn.close()
        _peer_deadlines.discard(conn)


def _serve_echo(conn):
    with conn:
        while True:
            data = conn.recv(65536)
            if not data:
                return
            conn.sendall(data)


def _serve_patient_receiver(conn):
    with conn:
        count = 0
        while True:
            data = conn.recv(65536)
            if not data:
                break
            count += len(data)
        conn.sendall(str(count).encode())


def _serve_daytime(conn):
    with conn:
        conn.sendall(_peer_time.ctime().encode() + b'\r\n')


def _quietly(serve, conn):
    try:
        serve(conn)
    except OSError:
        pass


def _accept_loop(server, serve):
    while True:
        conn, _ = server.accept()
        _peer_threading.Thread(target=_quietly, args=(serve, conn), daemon=True).start()


def _udp_echo_loop(sock):
    while True:
        data, sender = sock.recvfrom(65535)
        sock.sendto(data, sender)


def _start_peer(kind):
    """Starts the built-in peer KIND on a free loopback port; returns its address."""
    if kind == 'udp-echo':
        sock = _peer_socket.socket(_peer_socket.AF_INET, _peer_socket.SOCK_DGRAM)
        sock.bind(('127.0.0.1', 0))
        loop, args = _udp_echo_loop, (sock,)
    else:
        sock = _peer_socket.socket(_peer_socket.AF_INET, _peer_socket.SOCK_STREAM)
        sock.setsockopt(_peer_socket.SOL_SOCKET, _peer_socket.SO_REUSEADDR, 1)
        sock.bind(('127.0.0.1', 0))
        sock.listen(128)
        serve = {'course-web': _serve_course_web, 'echo': _serve_echo,
                 'patient-receiver': _serve_patient_receiver, 'daytime': _serve_daytime}[kind]
        loop, args = _accept_loop, (sock, serve)
    _peer_threading.Thread(target=loop, args=args, daemon=True).start()
    return sock.getsockname()
