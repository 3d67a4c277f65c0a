"""A stand-in for Twilio's Messages API, for tests, the demo and the benchmarks.

It speaks what the official twilio library speaks: form-encoded creates under
/2010-04-01/Accounts/{Sid}/Messages.json with HTTP basic auth, 201 with the message resource,
errors as {code, message, more_info, status}. It records every message, can be told to fail
(429, 500, 21610, or hang), and posts signed status callbacks like Twilio does: not for the first
status, possibly twice and out of order if told so.

It answers in Twilio's time, not at once: ``latency_ms`` with ``jitter_ms`` either side (Twilio
takes ~150 ms over the internet), so a benchmark sees what a real provider makes it wait. It is a
small asyncio server (httptools to parse, uvloop to run), so thousands of creates can be waiting
out their latency at once and each costs little: measured alone it must accept several times what
the pipeline sends, or it, not our code, is the ceiling (bench/fake_alone).

Control (JSON, no auth, 127.0.0.1 only):
  GET  /_fake/messages          every message accepted, oldest first
  GET  /_fake/stats             {accepted, refused, first_at, last_at (epoch seconds), most_calls_in_a_second,
                                 calls_per_second: {second: creates}}
  POST /_fake/behaviour         {"fail": "429"|"500"|"21610"|"hang"|null, "share": 0.3, "opted_out": [...],
                                 "callbacks": ["sent", "delivered"], "duplicate_callbacks": false, "hang_seconds": 30,
                                 "keep": true, "latency_ms": 150, "jitter_ms": 50}
  POST /_fake/reset             forget messages and behaviour (latency stays as started)
Run: python manage.py fake_twilio --port 8030 [--latency-ms 150 --jitter-ms 50]
"""

from notifications.fake_twilio.server import Server, serve
from notifications.fake_twilio.state import FakeTwilio

__all__ = ["FakeTwilio", "Server", "serve"]
