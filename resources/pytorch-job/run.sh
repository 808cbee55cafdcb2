#!/usr/bin/env bash
# Runs this S3GAN Studio job (job format 1) under torchrun: one process per GPU (else 1), this node of
# NNODES. The trainer writes ./run/ in the app's run format and resumes from its newest checkpoint when
# run again. Extra arguments go to the trainer (e.g. --bf16, --threads N).
#   NPROC_PER_NODE  processes on this node (default: the number of CUDA GPUs, else 1)
#   NNODES, NODE_RANK, MASTER_ADDR, MASTER_PORT   multi-node rendezvous (default: 1 node on 127.0.0.1:29500)
#   PYTHON          the Python with torch >= 1.13 and numpy (default: python3)
# `-m s3gan_job.launch` is `-m torch.distributed.run` plus a fix torch 1.13 needs on Python >= 3.11.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PYTHON="${PYTHON:-python3}"
if [ -z "${NPROC_PER_NODE:-}" ]; then
  NPROC_PER_NODE="$("$PYTHON" -c 'import torch; print(max(1, torch.cuda.device_count()))')"
fi
export PYTHONPATH="$HERE${PYTHONPATH:+:$PYTHONPATH}"
exec "$PYTHON" -m s3gan_job.launch \
  --nnodes "${NNODES:-1}" --node_rank "${NODE_RANK:-0}" --nproc_per_node "$NPROC_PER_NODE" \
  --master_addr "${MASTER_ADDR:-127.0.0.1}" --master_port "${MASTER_PORT:-29500}" \
  -m s3gan_job --job "$HERE" "$@"

# Slurm, two nodes of 8 GPUs (srun starts this script once per node):
#   #!/bin/bash
#   #SBATCH --nodes=2 --ntasks-per-node=1 --gpus-per-node=8
#   export MASTER_ADDR="$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n 1)" MASTER_PORT=29500
#   srun bash -c 'NNODES=$SLURM_NNODES NODE_RANK=$SLURM_NODEID bash run.sh'
