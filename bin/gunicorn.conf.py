"""gunicorn settings of bin/serve and of the Deploy section (README): read from the environment.

`gunicorn -c bin/gunicorn.conf.py config.wsgi:application`
"""

import ipaddress
import os


def _trusted_proxies() -> list[str]:
    """TRUSTED_PROXIES as gunicorn wants it (networks without host bits); none when unset.

    gunicorn believes X-Forwarded-Proto (hence wsgi.url_scheme and Django's is_secure()) only
    from these peers. An empty list trusts no peer: gunicorn's own default ("127.0.0.1,::1",
    or FORWARDED_ALLOW_IPS) would believe any local process claiming https.
    """
    proxies = []
    for item in os.environ.get("TRUSTED_PROXIES", "").split(","):
        if item.strip():
            proxies.append(str(ipaddress.ip_network(item.strip(), strict=False)))
    return proxies


bind = f"127.0.0.1:{os.environ.get('PORT') or '8000'}"
workers = int(os.environ.get("WEB_WORKERS") or 2)
threads = 2
accesslog = "-"
forwarded_allow_ips = ",".join(_trusted_proxies())
