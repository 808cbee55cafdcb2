// One data-parallel encoder training worker (worker_threads): its own tfjs backend (worker-runtime.ts)
// and, per training call, a copy of rank 0's encoder and a fresh Adam; each step runs shardStep on its
// shard, so its update is identical to every other rank's.
import { AllReduce } from '../../parallel/allreduce';
import { runWorker } from '../../parallel/worker-runtime';
import { deserializeEncoder } from '../rotation';
import type { EncoderFromWorker, EncoderToWorker, EncoderWorkerInit } from './protocol';
import { closeSession, encoderChecksum, openSession, shardStep, type RankSession } from './shard-step';

interface WorkerState {
  rank: number;
  session: RankSession | null;
}

function open(w: WorkerState): RankSession {
  if (!w.session) throw new Error(`worker ${w.rank}: no training session (begin first)`);
  return w.session;
}

runWorker<EncoderWorkerInit, WorkerState, EncoderToWorker, EncoderFromWorker>({
  stepKinds: ['step'],
  start: (init) => ({ rank: init.rank, session: null }),
  handle(w, msg) {
    switch (msg.kind) {
      case 'begin':
        if (w.session) closeSession(w.session, true);
        w.session = null;
        w.session = openSession(deserializeEncoder(msg.encoder), msg.session, new AllReduce(msg.buffers, w.rank));
        return { kind: 'begun' };
      case 'step':
        return { kind: 'stepped', ...shardStep(open(w), msg.shard) };
      case 'end':
        if (w.session) closeSession(w.session, true);
        w.session = null;
        return { kind: 'ended' };
      case 'checksum':
        return { kind: 'checksum', value: encoderChecksum(open(w).state) };
    }
  },
});
