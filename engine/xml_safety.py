"""Parse BPMN and DMN without the XML features that turn a file into an
attack: no DOCTYPE (so no entities, no billion laughs, no external DTD), no
network, no huge trees. DESIGN.md decision 6: BPMN is code."""
from lxml import etree

MAX_FILE_BYTES = 5 * 1024 * 1024


class UnsafeXML(ValueError):
    pass


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=False, remove_comments=False, remove_pis=True,
    )


def parse_xml(data: bytes | str, filename: str = "<string>") -> etree._Element:
    """Return the root element, or raise UnsafeXML / etree.XMLSyntaxError."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_FILE_BYTES:
        raise UnsafeXML(f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
    # Refuse before parsing: a DOCTYPE is the door to every entity attack, and
    # no BPMN or DMN file needs one.
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise UnsafeXML("a DOCTYPE or ENTITY declaration is not allowed in process files")
    root = etree.fromstring(data, _parser())
    if root.getroottree().docinfo.doctype:
        raise UnsafeXML("a DOCTYPE declaration is not allowed in process files")
    return root
