"""The process designer's studio (issue 7): drafts, their checks, simulation, deployment."""
