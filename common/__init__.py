"""Small tools every app uses and that know nothing about EPS: the event loop that carries calls
out of the process, and the one way such a call is made (a total deadline and a size cap)."""
