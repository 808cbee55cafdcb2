"""torch.distributed set-up: NCCL on CUDA, gloo on CPU; one flat all-reduce averages every gradient
(and the step's losses), which is what DDP's reducer computes, so all ranks apply identical updates.
"""
import datetime
import os
import platform

import torch
import torch.distributed as td


class World:
    def __init__(self, timeout_s):
        self.size = int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = int(os.environ.get("RANK", "0"))
        local = int(os.environ.get("LOCAL_RANK", "0"))
        cuda = torch.cuda.is_available()
        self.device = torch.device("cuda", local) if cuda else torch.device("cpu")
        if cuda:
            torch.cuda.set_device(self.device)
        self.backend = "nccl" if cuda else "gloo"
        self.timeout_s = timeout_s

    def device_name(self):
        if self.device.type == "cuda":
            return torch.cuda.get_device_name(self.device)
        return platform.processor() or platform.machine()

    def connect(self):
        """Joins the process group (after the config was checked: a refusal needs no peers)."""
        if self.size > 1:
            td.init_process_group(self.backend, timeout=datetime.timedelta(seconds=self.timeout_s))

    def reduce(self, grads, losses):
        """Mean over ranks of named gradients and loss scalars, in one buffer."""
        names, loss_names = list(grads), list(losses)
        flat = torch.cat([grads[n].reshape(-1) for n in names] + [losses[k].reshape(1) for k in loss_names])
        td.all_reduce(flat)
        flat /= self.size
        out, i = {}, 0
        for n in names:
            k = grads[n].numel()
            out[n] = flat[i:i + k].reshape(grads[n].shape)
            i += k
        return out, {k: flat[i + j] for j, k in enumerate(loss_names)}

    def barrier(self):
        if self.size > 1:
            td.barrier()

    def close(self):
        if self.size > 1 and td.is_initialized():
            td.destroy_process_group()
