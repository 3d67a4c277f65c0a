"""Print this node's nginx configuration (deploy/nginx/eps-status.conf.in filled in from settings).

Generated, not hand-written, so the folder nginx serves is the one the snapshot is written to, and
the headers nginx sends with a page from disk are the ones the application sends with it.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from statuspage.response_cache import cache_control
from statuspage.security_headers import CSP

TEMPLATE = Path(settings.BASE_DIR) / "deploy" / "nginx" / "eps-status.conf.in"


def security_headers() -> dict[str, str]:
    """The headers Django's SecurityMiddleware, clickjacking middleware and our policy add to a page."""
    headers = {"Content-Security-Policy": CSP, "X-Frame-Options": settings.X_FRAME_OPTIONS}
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers["X-Content-Type-Options"] = "nosniff"
    if settings.SECURE_REFERRER_POLICY:
        headers["Referrer-Policy"] = settings.SECURE_REFERRER_POLICY
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers["Cross-Origin-Opener-Policy"] = settings.SECURE_CROSS_ORIGIN_OPENER_POLICY
    if settings.SECURE_HSTS_SECONDS:
        hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            hsts += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            hsts += "; preload"
        headers["Strict-Transport-Security"] = hsts
    return headers


def render(values: dict[str, str]) -> str:
    text = TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    return text


class Command(BaseCommand):
    help = "Print the nginx configuration for this node (include it in nginx's http block)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--server-name", required=True, help="the public host name(s), space-separated")
        parser.add_argument("--listen", default="443", help="the TLS address nginx listens on (443)")
        parser.add_argument("--http-listen", default="80", help="plain HTTP, which only redirects (80)")
        parser.add_argument("--app", default="127.0.0.1:8000", help="gunicorn's bind on this node")
        parser.add_argument("--certificate", default="/etc/ssl/certs/eps-status.pem")
        parser.add_argument("--certificate-key", default="/etc/ssl/private/eps-status.key")
        parser.add_argument("--access-log", default="/var/log/nginx/eps-status.access.log")
        parser.add_argument("--probes-per-second", type=int, default=1000, help="per client address")
        parser.add_argument("--twilio-per-second", type=int, default=500, help="per client address")
        parser.add_argument("--forms-per-second", type=int, default=2, help="POSTs per client address")
        parser.add_argument(
            "--trusted-proxy",
            action="append",
            default=[],
            metavar="CIDR",
            help="a load balancer or CDN in front whose X-Forwarded-For is believed (repeat for each)",
        )

    def handle(self, *args, **options) -> None:
        headers = "\n".join(
            f"        add_header {name} {_quoted(value)};" for name, value in security_headers().items()
        )
        self.stdout.write(
            render(
                {
                    "APP": options["app"],
                    "SERVER_NAME": options["server_name"],
                    "LISTEN": options["listen"],
                    "HTTP_LISTEN": options["http_listen"],
                    "CERTIFICATE": options["certificate"],
                    "CERTIFICATE_KEY": options["certificate_key"],
                    "ACCESS_LOG": options["access_log"],
                    "SNAPSHOT_DIR": str(Path(settings.SNAPSHOT_DIR).resolve()),
                    "STATIC_ROOT": str(Path(settings.STATIC_ROOT).resolve()),
                    "CACHE_CONTROL": cache_control(),
                    "SECURITY_HEADERS": headers,
                    "REAL_IP": _real_ip(options["trusted_proxy"]),
                    "PROBES_PER_SECOND": str(options["probes_per_second"]),
                    "PROBES_BURST": str(options["probes_per_second"] * 2),
                    "TWILIO_PER_SECOND": str(options["twilio_per_second"]),
                    "TWILIO_BURST": str(options["twilio_per_second"] * 10),
                    "FORMS_PER_SECOND": str(options["forms_per_second"]),
                    "FORMS_BURST": str(options["forms_per_second"] * 5),
                }
            ),
            ending="",
        )


def _real_ip(proxies: list[str]) -> str:
    if not proxies:
        return "    # (none: every client is the address that connected)"
    lines = [f"    set_real_ip_from {cidr};" for cidr in proxies]
    return "\n".join([*lines, "    real_ip_header X-Forwarded-For;", "    real_ip_recursive on;"])


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
