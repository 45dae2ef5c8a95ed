# http.client against the workbench's course-web peer (`sockbench serve course-web`): the
# course's page, then the page with a lecturer's name, then a HEAD and a missing page.
# The peer's port comes from $COURSE_WEB_PORT (the harness starts the peer).
import http.client
import os
import sys

port = os.environ.get('COURSE_WEB_PORT')
if not port:
    sys.exit('set COURSE_WEB_PORT to the port of `sockbench serve course-web`')


def show(method, path):
    conn = http.client.HTTPConnection('127.0.0.1', int(port), timeout=10)
    try:
        conn.request(method, path)
        response = conn.getresponse()
        body = response.read()
        print(method, path, '->', response.status, response.reason)
        # Not the Date header: it changes every second.
        for header in ('Content-Type', 'Content-Length', 'Connection'):
            print('  %s: %s' % (header, response.getheader(header)))
        print('  body:', len(body), 'bytes')
        for line in body.decode().splitlines():
            if 'Hello' in line or '<title>' in line:
                print('  |', line.strip())
    finally:
        conn.close()


show('GET', '/5062CEM.php')
show('GET', '/5062CEM.php?lecturer=Ian%20Cornelius')
show('HEAD', '/5062CEM.php')
show('GET', '/missing.php')
