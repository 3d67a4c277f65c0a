"""Email through Django's email backends (SMTP in production), plain text with an HTML part.

Each of EMAIL_IN_FLIGHT threads per process keeps one SMTP connection open and sends on it,
message after message: no handshake per email, several emails under way at once. A watchdog
shuts a connection that has not finished one message within EMAIL_DEADLINE_SECONDS, so a mail
server that trickles its answers cannot hold a thread past that.
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
from django.utils.html import escape, linebreaks

from common import loop
from notifications.channels.base import Channel, DeliveryError, Message

_local = threading.local()


@functools.lru_cache(maxsize=2)
def _pool(size: int, pid: int) -> ThreadPoolExecutor:
    # One per process (a forked child gets its own): threads do not survive a fork.
    return ThreadPoolExecutor(max_workers=size, thread_name_prefix="smtp")


def _connection():
    found = getattr(_local, "connection", None)
    if found is None or getattr(_local, "backend", None) != settings.EMAIL_BACKEND:
        found = get_connection(fail_silently=False)
        _local.connection, _local.backend = found, settings.EMAIL_BACKEND
    return found


def _drop_connection() -> None:
    found = getattr(_local, "connection", None)
    _local.connection = None
    if found is not None:
        try:
            found.close()
        except Exception:  # noqa: S110 -- closing a broken connection: nothing more to learn
            pass


def _abort(backend) -> None:
    """Past the deadline: shut the socket under the blocked call, which then fails at once."""
    sock = getattr(getattr(backend, "connection", None), "sock", None)
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _send_on_this_threads_connection(email: EmailMultiAlternatives) -> None:
    for reused in (True, False):
        backend = _connection()
        email.connection = backend
        watchdog = threading.Timer(settings.EMAIL_DEADLINE_SECONDS, _abort, args=(backend,))
        watchdog.start()
        try:
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
    email.attach_alternative(message.html or linebreaks(escape(message.body)), "text/html")
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
