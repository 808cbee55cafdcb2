"""S3GAN Studio's trainer on PyTorch: the app's G, D, step, sampler and run format (see train.py)."""
FORMAT_VERSION = 1
