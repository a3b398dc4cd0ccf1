"""Records how the reference (chio 1.1.21) translates packet ids in every revision.

Writes tests/fixtures/packet-ids.json: for each group of revisions that number packets
alike (listed by build), the wire id of every
packet type (convert_output_packet) and the packet type each raw id 0..=130 and
65534/65535 reads as (convert_input_packet).
Run: .venv/bin/python tests/reference/record_packet_ids.py  (after scripts/reference-env.sh)
"""

import json
import sys
from pathlib import Path

import chio
from chio.clients import ClientDict

assert chio.__version__ == "1.1.21", chio.__version__

revisions = sorted({type(client).version: client for client in ClientDict.values()}.items())
# Revisions with identical tables are grouped: there are only a few numbering eras.
groups = []
for build, client in revisions:
    wire = {packet.name: client.convert_output_packet(packet) for packet in chio.PacketType}
    read = {}
    for raw in list(range(0, 131)) + [65534, 65535]:
        try:
            read[str(raw)] = client.convert_input_packet(raw).name
        except ValueError:
            read[str(raw)] = None
    if groups and groups[-1]["wire_ids"] == wire and groups[-1]["reads"] == read:
        groups[-1]["builds"].append(build)
    else:
        groups.append({"builds": [build], "wire_ids": wire, "reads": read})
out = {"reference": f"chio {chio.__version__}", "eras": groups}

ids = {packet.name: packet.value for packet in chio.PacketType}
out["canonical_ids"] = ids
path = Path(__file__).resolve().parent.parent / "fixtures" / "packet-ids.json"
path.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
print(f"wrote {path} ({len(revisions)} revisions in {len(groups)} eras)", file=sys.stderr)
