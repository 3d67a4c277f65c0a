"""Detection: probes in (pushed or pulled), each broker's status derived from them and from silence,
incident drafts for NHS ops and the holding notice nobody's silence can stop."""
