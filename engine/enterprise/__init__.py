"""江汉政企通: enterprise requests with their sign and answer clocks, the
escalation of breaches to the supervisors, and policy notices published to
companies by industry. No Flask here: web/enterprise and
web/enterprise_portal call these functions inside their transactions."""
