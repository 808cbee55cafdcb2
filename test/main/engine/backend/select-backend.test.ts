import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { BackendInfo } from '../../../../shared/contract';
import { currentBackendInfo, effectivePreference, selectBackend } from '../../../../main/engine/backend/index';

describe('selectBackend', () => {
  it('falls back past the uninstallable tensorflow packages to wasm and records why', async () => {
    const info = await selectBackend({ prefer: 'auto' });
    expect(BackendInfo.parse(info)).toEqual(info);
    // S3GAN_BACKEND may be set by whoever runs the tests; the default here is auto → wasm
    if (!process.env.S3GAN_BACKEND) {
      expect(info.backend).toBe('wasm');
      expect(info.tried.map((t) => t.backend)).toEqual(['tensorflow-gpu', 'tensorflow-cpu', 'wasm']);
      expect(info.tried[0]!.ok).toBe(false);
      expect(info.tried[0]!.reason).toMatch(/tfjs-node-gpu/);
      expect(info.tried[2]!.ok).toBe(true);
    }
    expect(tf.getBackend()).toBe(info.backend);
    expect(currentBackendInfo()).toBe(info);
  });

  it('is idempotent per preference and re-activates the cached choice', async () => {
    const wasm1 = await selectBackend({ prefer: 'wasm' });
    const cpu = await selectBackend({ prefer: 'cpu' });
    expect(cpu.backend).toBe('cpu');
    expect(cpu.tried).toEqual([{ backend: 'cpu', ok: true }]);
    expect(tf.getBackend()).toBe('cpu');
    const wasm2 = await selectBackend({ prefer: 'wasm' });
    expect(wasm2).toBe(wasm1);
    expect(tf.getBackend()).toBe('wasm');
    expect(wasm2.tried.map((t) => t.backend)).toEqual(['wasm']);
  });

  it('lets S3GAN_BACKEND override auto only, and reports a bad value', () => {
    expect(effectivePreference('auto', { S3GAN_BACKEND: 'cpu' })).toEqual({ prefer: 'cpu', advice: [] });
    expect(effectivePreference(undefined, { S3GAN_BACKEND: ' WASM ' })).toEqual({ prefer: 'wasm', advice: [] });
    expect(effectivePreference('wasm', { S3GAN_BACKEND: 'cpu' })).toEqual({ prefer: 'wasm', advice: [] });
    const bad = effectivePreference('auto', { S3GAN_BACKEND: 'cuda' });
    expect(bad.prefer).toBe('auto');
    expect(bad.advice[0]).toContain('S3GAN_BACKEND');
  });
});
