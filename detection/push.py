"""``POST /api/v1/probes``: brokers push their health here."""

import logging

from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, IntegrityError
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from common import metrics
from detection import probes, tokens
from detection.healthdoc import Invalid, Unstorable, clock_problem, loads, parse
from statuspage.api.problems import problem
from statuspage.models import Probe

log = logging.getLogger(__name__)

MAX_BYTES = 16 * 1024
CONTENT_TYPES = ("application/health+json", "application/json")


def _token(request: HttpRequest) -> str | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def accepted(probe: Probe, replayed: bool = False) -> JsonResponse:
    body = {
        "id": probe.pk,
        "received_at": probe.received_at.isoformat(),
        "verdict": probe.verdict,
        "reason": probe.reason,
    }
    response = JsonResponse(body, status=202)
    response["Cache-Control"] = "no-store"
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


@csrf_exempt
def probes_view(request: HttpRequest) -> JsonResponse:
    response = _answer(request)
    metrics.PROBES.labels(code=str(response.status_code)).inc()
    return response


def _answer(request: HttpRequest) -> JsonResponse:
    try:
        return _receive(request)
    except DatabaseError:
        # Our database is away: the broker keeps its probe and sends it again, and the silence this
        # leaves is ours, not the broker's (silence.py holds off and gives grace afterwards).
        log.warning("probe not stored: the database is unreachable")
        return problem(
            503, "Cannot store probes just now", "Our database is unreachable. Send it again shortly.", Retry_After="15"
        )


def _receive(request: HttpRequest) -> JsonResponse:
    if request.method != "POST":
        return problem(405, "Method not allowed", "Send probes with POST.", Allow="POST")
    token = _token(request)
    if token is None:
        return problem(
            401,
            "Missing token",
            "Send 'Authorization: Bearer <broker token>'.",
            WWW_Authenticate='Bearer realm="probes"',
        )
    holder = tokens.authenticate(token)
    if holder is None:
        return problem(
            401,
            "Unknown token",
            "This token is not known or has been revoked.",
            WWW_Authenticate='Bearer realm="probes", error="invalid_token"',
        )
    key = request.headers.get("Idempotency-Key")
    if key is not None and not 0 < len(key) <= 200:
        return problem(
            400,
            "Invalid Idempotency-Key",
            "It must be 1 to 200 characters.",
            [("header:Idempotency-Key", f"is {len(key)} characters long")],
        )
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BYTES:
        return problem(413, "Body too large", f"A probe is at most {MAX_BYTES} bytes; this one is {declared}.")
    try:
        raw = request.body
    except RequestDataTooBig:
        return problem(413, "Body too large", f"A probe is at most {MAX_BYTES} bytes.")
    if len(raw) > MAX_BYTES:
        return problem(413, "Body too large", f"A probe is at most {MAX_BYTES} bytes; this one is {len(raw)}.")
    content_type = request.content_type or ""
    if content_type not in CONTENT_TYPES:
        return problem(
            415,
            "Unsupported content type",
            f"Send application/health+json or application/json, not {content_type or 'nothing'!r}.",
        )
    try:
        document = loads(raw)
    except (ValueError, UnicodeDecodeError) as e:
        return problem(400, "Malformed JSON", f"The body is not valid JSON: {e}", [("", "not valid JSON")])
    received_at = timezone.now()
    try:
        parsed = parse(document, received_at)
    except Unstorable as e:
        return problem(422, "Readings too large to store", str(e), e.errors)
    except Invalid as e:
        return problem(400, "Invalid health document", str(e), e.errors)
    # serviceId is the supplier's own name for its service, kept as sent; the token says which broker
    # posts. Only a serviceId that names a different broker of ours is refused: it is a mix-up.
    named = tokens.broker_named(parsed.service_id) if isinstance(parsed.service_id, str) else None
    if named is not None and named != holder.broker_id:
        return problem(
            403,
            "Wrong broker",
            f"This token posts for {holder.component_slug} ({holder.component_code}), not {parsed.service_id!r}.",
            [("/serviceId", "names another broker")],
        )
    if skew := clock_problem(parsed.observed_at, received_at):
        return problem(422, "Reading time out of range", f"{skew.capitalize()}. Check the broker's clock.")
    if key:
        existing = Probe.objects.filter(broker_id=holder.broker_id, idempotency_key=key).first()
        if existing:
            return accepted(existing, replayed=True)
    received = probes.Received(
        broker_id=holder.broker_id,
        parsed=parsed,
        received_at=received_at,
        source=Probe.Source.PUSH,
        document=document,
        idempotency_key=key,
        token_id=holder.token_id,
        thresholds=holder.thresholds,
        heartbeat_seconds=holder.heartbeat_seconds,
    )
    try:
        probe = probes.record_steady(received)
    except IntegrityError:  # the same Idempotency-Key, sent twice at once: the locked path answers
        probe = None
    if probe is not None:
        return accepted(probe)
    try:
        probe, created = probes.record(received)
    except probes.RateLimited as e:
        return problem(
            429,
            "Too many probes",
            f"At most {e.per_minute} probes a minute for this broker.",
            Retry_After=str(e.retry_after),
        )
    return accepted(probe, replayed=not created)
