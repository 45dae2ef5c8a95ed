"""The module's name functions (getaddrinfo() and the gethostby*() family), asked of the
workbench, which resolves them as the C library does and shows the lookup."""
import _socket as _real

from .calls import address_value, index, module_call
from .checks import checked_host


def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
    # The real one checks the arguments (on a numeric host and no port it asks nobody).
    checked_port = port if not isinstance(port, (str, bytes)) else None
    if isinstance(port, str):
        port.encode("utf-8")
    try:
        _real.getaddrinfo(checked_host(host) if host is not None else None, checked_port,
                          family, type, proto, flags)
    except _real.gaierror:
        pass
    if host is None:
        host_text = None
    elif isinstance(host, str):
        host_text = host if host.isascii() else host.encode("idna").decode("ascii")
    else:
        host_text = bytes(host).decode("latin-1")
    if port is None:
        service = None
    elif isinstance(port, int):
        service = str(int(port))
    elif isinstance(port, str):
        service = port
    else:
        service = bytes(port).decode("latin-1")
    reply = module_call("getaddrinfo", host=host_text, service=service, family=index(family),
                         type=index(type), proto=index(proto), flags=index(flags))
    return [(f, t, p, c, address_value(a)) for f, t, p, c, a in reply.get("addrinfo", [])]


def gethostbyname(hostname):
    try:
        _real.gethostbyname(checked_host(hostname))
    except (_real.gaierror, _real.herror):
        pass
    host = hostname if isinstance(hostname, str) else bytes(hostname).decode("latin-1")
    return module_call("gethostbyname", host=host).get("text", "")


def gethostbyaddr(ip_address):
    try:
        _real.gethostbyaddr(checked_host(ip_address))
    except (_real.gaierror, _real.herror):
        pass
    host = ip_address if isinstance(ip_address, str) else bytes(ip_address).decode("latin-1")
    name, aliases, addresses = module_call("gethostbyaddr", host=host).get(
        "hostent", ["", [], []])
    return name, list(aliases), list(addresses)


def gethostname():
    return module_call("gethostname").get("text", "")
