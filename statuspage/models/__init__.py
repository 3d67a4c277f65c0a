from statuspage.models.components import Component
from statuspage.models.history import StatusChange
from statuspage.models.incidents import AffectedComponent, Incident, IncidentUpdate
from statuspage.models.nations import Nation
from statuspage.models.places import GPPractice, Pharmacy
from statuspage.models.probes import BrokerToken, IncidentDraft, Probe, ProbeRollup
from statuspage.models.suppliers import Broker, Supplier
from statuspage.models.vitals import Vital

__all__ = [
    "AffectedComponent",
    "Broker",
    "BrokerToken",
    "Component",
    "GPPractice",
    "Incident",
    "IncidentDraft",
    "IncidentUpdate",
    "Nation",
    "Pharmacy",
    "Probe",
    "ProbeRollup",
    "StatusChange",
    "Supplier",
    "Vital",
]
