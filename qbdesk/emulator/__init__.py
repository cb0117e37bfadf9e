"""A local stand-in for Intuit's OAuth 2.0 server and the QuickBooks CompanyInfo and query calls, for tests and demos."""

from .companies import DemoCompany
from .config import INTUIT_ROTATION, STRICT_ROTATION, Rotation
from .emulator import Emulator
from .faults import Fault

__all__ = ["INTUIT_ROTATION", "STRICT_ROTATION", "DemoCompany", "Emulator", "Fault", "Rotation"]
