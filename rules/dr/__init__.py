"""Disaster-recovery objectives (RL7xx): the RPO and RTO a configuration can reach, per data store and
scenario, against the objectives in `.rlint.yaml` (model.py builds the estimates, report.py the table)."""
from .dr_no_region_recovery import DrNoRegionRecovery
from .dr_rpo_not_met import DrRpoNotMet
from .dr_rto_not_met import DrRtoNotMet

RULES = [DrRpoNotMet, DrRtoNotMet, DrNoRegionRecovery]
