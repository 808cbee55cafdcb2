"""`python -m s3gan_job.launch [torchrun arguments]`: torch.distributed.run, with one fix for torch 1.13
on Python >= 3.11 (Debian 12's python3-torch): its Std.from_str("0") finds no member because IntFlag
iteration skips zero and multi-bit values, so every launch fails in to_map. Value lookup has no such gap.
Newer torch releases do not need the fix and get none.
"""
import re

from torch.distributed.elastic.multiprocessing import api
from torch.distributed import run


def _from_str(vm):
    if re.match(api._VALUE_REGEX, vm):
        return api.Std(int(vm))
    if re.match(api._MAPPING_REGEX, vm):
        return {int(i): api.Std(int(v)) for i, v in (m.split(":") for m in vm.split(","))}
    raise ValueError("%s does not match: <%s> or <%s>" % (vm, api._VALUE_REGEX, api._MAPPING_REGEX))


if api.Std.from_str("0") is None:
    api.Std.from_str = staticmethod(_from_str)

if __name__ == "__main__":
    run.main()
