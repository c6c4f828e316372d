"""Container healthcheck for the web service: exit 0 when ``/health/`` answers 200, 1 otherwise.

Django answers only Host headers in ALLOWED_HOSTS, and production's ALLOWED_HOSTS need not contain
127.0.0.1, so the request names the first allowed host while going to the local gunicorn
(HEALTHCHECK_URL, default http://127.0.0.1:8000/health/). Standard library only: the image has no curl.
"""

import os
import sys
import urllib.request


def host_header() -> str | None:
    for host in (h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",")):
        if host and host != "*":
            return host.lstrip(".")  # ".example.org" allows example.org and its subdomains
    return None


def main() -> int:
    url = os.environ.get("HEALTHCHECK_URL", "http://127.0.0.1:8000/health/")
    request = urllib.request.Request(url)
    if host := host_header():
        request.add_header("Host", host)
    try:
        with urllib.request.urlopen(request, timeout=4) as response:
            ok = response.status == 200
    except OSError as exc:  # URLError, HTTPError, timeouts
        print(f"unhealthy: {url}: {exc}", file=sys.stderr)
        return 1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
