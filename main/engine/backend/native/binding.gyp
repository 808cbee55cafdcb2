{
  "targets": [
    {
      "target_name": "s3gan_kernels",
      "sources": ["src/addon.c", "src/conv.c", "src/direct.c", "src/channel.c"],
      "cflags": ["-O3", "-std=c11", "-Wall", "-Wextra"],
      "libraries": ["-lopenblas", "-lm"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
