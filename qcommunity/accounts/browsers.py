"""Readable names for where a request came from: the browser family of a user agent and the
network of an IP address. Used by the sign-in emails and the signed-in devices page."""

import ipaddress

UNKNOWN_NETWORK = "unknown"


def browser_name(user_agent: str | None) -> str:
    """A short, readable name for a user agent string, such as "Firefox on Windows"."""
    ua = user_agent or ""
    name = next(
        (
            label
            for marker, label in (
                ("Edg/", "Edge"),
                ("OPR/", "Opera"),
                ("Firefox/", "Firefox"),
                ("Chrome/", "Chrome"),
                ("CriOS/", "Chrome"),
                ("Safari/", "Safari"),
            )
            if marker in ua
        ),
        "",
    )
    system = next(
        (
            label
            for markers, label in (
                (("Windows",), "Windows"),
                (("iPhone", "iPad"), "iOS"),
                (("Android",), "Android"),
                (("Mac OS X", "Macintosh"), "macOS"),
                (("Linux",), "Linux"),
            )
            if any(marker in ua for marker in markers)
        ),
        "",
    )
    if name and system:
        return f"{name} on {system}"
    return name or system or "Unknown browser"


def network_of(ip: str | None) -> str:
    """The network an address belongs to: its /24 for IPv4, its /64 for IPv6."""
    try:
        address = ipaddress.ip_address((ip or "").strip())
    except ValueError:
        return UNKNOWN_NETWORK
    prefix = 24 if address.version == 4 else 64
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))
