"""SpiffWorkflow's CamundaParser, taught the Camunda attributes it skips
(candidateGroups, dueDate, formKey on tasks) and fed only XML that
xml_safety has already parsed."""
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.bpmn.parser.task_parsers import ConditionalGatewayParser, GatewayParser
from SpiffWorkflow.bpmn.parser.util import full_tag
from SpiffWorkflow.camunda.parser.CamundaParser import CamundaParser
from SpiffWorkflow.camunda.parser.event_parsers import (CamundaBoundaryEventParser,
                                                        CamundaIntermediateCatchEventParser,
                                                        CamundaStartEventParser)
from SpiffWorkflow.camunda.parser.task_spec import CAMUNDA_MODEL_NS, CallActivityParser, UserTaskParser
from SpiffWorkflow.camunda.specs.user_task import UserTask

from .call_sites import OneWindowCallActivity
from .gateways import RoundAwareInclusiveGateway, RoundAwareParallelGateway
from .timers import clock_timer

CAMUNDA = "{" + CAMUNDA_MODEL_NS + "}"

# Attributes kept in task_spec.extensions under these keys.
CANDIDATE_GROUPS = "camunda:candidateGroups"
DUE_DATE = "camunda:dueDate"
# camunda:property marking a task the case's own applicant may also complete
# online (the correction supply); the window can still do it at the counter.
APPLICANT_TASK = "onewindow:applicant"


class OneWindowUserTaskParser(UserTaskParser):
    def parse_extensions(self, node=None):
        extensions = super().parse_extensions(node)
        for attribute, key in (("candidateGroups", CANDIDATE_GROUPS), ("dueDate", DUE_DATE)):
            value = self.node.get(CAMUNDA + attribute)
            if value:
                extensions[key] = value.strip()
        return extensions


class ClockTimerParsing:
    """Timer events built as ours (engine/timers.py): on the engine's clock,
    with values from the working-time helpers."""

    def parse_timer_event(self, event):
        return clock_timer(super().parse_timer_event(event))


class OneWindowStartEventParser(ClockTimerParsing, CamundaStartEventParser):
    pass


class OneWindowIntermediateCatchEventParser(ClockTimerParsing, CamundaIntermediateCatchEventParser):
    pass


class OneWindowBoundaryEventParser(ClockTimerParsing, CamundaBoundaryEventParser):
    pass


def _with_parser(tag: str, parser_class) -> tuple:
    return parser_class, CamundaParser.OVERRIDE_PARSER_CLASSES[full_tag(tag)][1]


class OneWindowParser(CamundaParser):
    OVERRIDE_PARSER_CLASSES = dict(CamundaParser.OVERRIDE_PARSER_CLASSES)
    OVERRIDE_PARSER_CLASSES[full_tag("userTask")] = (OneWindowUserTaskParser, UserTask)
    # Joins that stay correct in loops (engine/gateways.py).
    OVERRIDE_PARSER_CLASSES[full_tag("inclusiveGateway")] = (ConditionalGatewayParser, RoundAwareInclusiveGateway)
    OVERRIDE_PARSER_CLASSES[full_tag("parallelGateway")] = (GatewayParser, RoundAwareParallelGateway)
    # Call activities that can hand a block its caller (engine/call_sites.py).
    OVERRIDE_PARSER_CLASSES[full_tag("callActivity")] = (CallActivityParser, OneWindowCallActivity)
    # Timer events on the engine's clock (engine/timers.py).
    OVERRIDE_PARSER_CLASSES[full_tag("startEvent")] = _with_parser("startEvent", OneWindowStartEventParser)
    OVERRIDE_PARSER_CLASSES[full_tag("intermediateCatchEvent")] = _with_parser(
        "intermediateCatchEvent", OneWindowIntermediateCatchEventParser)
    OVERRIDE_PARSER_CLASSES[full_tag("boundaryEvent")] = _with_parser("boundaryEvent", OneWindowBoundaryEventParser)


_VALIDATOR = None


def xsd_validator() -> BpmnValidator:
    """The BPMN 2.0 XSD validator is slow to build; build it once."""
    global _VALIDATOR
    if _VALIDATOR is None:
        _VALIDATOR = BpmnValidator()
    return _VALIDATOR


def new_parser(validate_xsd: bool = True) -> OneWindowParser:
    return OneWindowParser(validator=xsd_validator() if validate_xsd else None)
