"""Email through Django's email backends (SMTP in production), plain text with an HTML part.

Each of EMAIL_IN_FLIGHT threads per process keeps one SMTP connection open and sends on it,
message after message: no handshake per email, several emails under way at once. A watchdog
shuts the socket of a connection that has not finished one message (its greeting included)
within EMAIL_DEADLINE_SECONDS, so a mail server that trickles its answers cannot hold a thread
past that: smtplib's own timeout is per read, and a byte every few seconds never trips it.
"""

import functools
import smtplib
import socket
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.utils.html import linebreaks, urlize

from common import loop
from notifications.channels.base import Channel, DeliveryError, Message

_local = threading.local()
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def _watch(sock):
    # Runs in the sending thread; the watchdog reads the same dict from its own.
    watched = getattr(_local, "watched", None)
    if watched is not None:
        watched["sock"] = sock
    return sock


class _Watched(smtplib.SMTP):
    """smtplib's client, telling the watchdog its socket as soon as it exists (before the greeting)."""

    def _get_socket(self, host, port, timeout):
        return _watch(super()._get_socket(host, port, timeout))


class _WatchedSSL(smtplib.SMTP_SSL):
    def _get_socket(self, host, port, timeout):
        return _watch(super()._get_socket(host, port, timeout))


class WatchedBackend(SmtpBackend):
    """Django's SMTP backend whose sockets the watchdog can shut."""

    @property
    def connection_class(self):
        return _WatchedSSL if self.use_ssl else _Watched


@functools.lru_cache(maxsize=2)
def _pool(size: int, pid: int) -> ThreadPoolExecutor:
    # One per process (a forked child gets its own): threads do not survive a fork.
    return ThreadPoolExecutor(max_workers=size, thread_name_prefix="smtp")


def _connection():
    found = getattr(_local, "connection", None)
    # Kept while the settings it was made from stay the same.
    made_from = (settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_HOST_USER)
    if found is None or getattr(_local, "made_from", None) != made_from:
        _drop_connection()
        smtp = settings.EMAIL_BACKEND == SMTP_BACKEND
        found = WatchedBackend(fail_silently=False) if smtp else get_connection(fail_silently=False)
        _local.connection, _local.made_from = found, made_from
    return found


def _drop_connection() -> None:
    found = getattr(_local, "connection", None)
    _local.connection = None
    if found is not None:
        try:
            found.close()
        except Exception:  # noqa: S110 -- closing a broken connection: nothing more to learn
            pass


def _abort(sock) -> None:
    """Past the deadline: shut the socket under the blocked call, which then fails at once."""
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _send_on_this_threads_connection(email: EmailMultiAlternatives) -> None:
    for reused in (True, False):
        backend = _connection()
        email.connection = backend
        # The socket of the kept connection, or (set by _get_socket) of the one about to be opened.
        watched = _local.watched = {"sock": getattr(getattr(backend, "connection", None), "sock", None)}
        watchdog = threading.Timer(settings.EMAIL_DEADLINE_SECONDS, lambda w=watched: _abort(w["sock"]))
        watchdog.start()
        try:
            # Opened here, not by send(): Django closes a connection that send() itself opened.
            backend.open()
            email.send()
            return
        except smtplib.SMTPServerDisconnected:
            _drop_connection()
            # A kept connection the server has since closed: once more on a fresh one.
            if not reused:
                raise
        except OSError:
            _drop_connection()
            raise
        finally:
            watchdog.cancel()


def build(message: Message) -> tuple[EmailMultiAlternatives, str]:
    # Our own Message-ID, so the delivery records an id that is unique across every worker.
    headers = {"Message-ID": make_msgid(domain="eps-status")}
    if message.unsubscribe_url:
        # One-click unsubscribe (RFC 8058): mail clients show an Unsubscribe button.
        headers["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email = EmailMultiAlternatives(message.subject, message.body, to=[message.to], headers=headers)
    # Every address in the text is a link in the HTML part (escaped first: urlize escapes the rest).
    email.attach_alternative(message.html or linebreaks(urlize(message.body, autoescape=True)), "text/html")
    return email, headers["Message-ID"]


def _send(message: Message) -> str:
    email, message_id = build(message)
    try:
        _send_on_this_threads_connection(email)
    except OSError as e:  # smtplib's errors are OSErrors too
        raise DeliveryError(f"the mail server did not take it ({type(e).__name__})", permanent=False) from None
    return message_id


class EmailChannel(Channel):
    def __init__(self) -> None:
        self.in_flight = settings.EMAIL_IN_FLIGHT

    def send(self, message: Message, unconfirmed_since: datetime | None = None) -> str:
        return self.submit(message).result()

    def submit(self, message: Message, unconfirmed_since: datetime | None = None) -> "Future[str]":
        return _pool(self.in_flight, loop.process_id()).submit(_send, message)
