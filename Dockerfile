# syntax=docker/dockerfile:1
#
# The LabelFree worker image: `labelfree serve` consuming the stack-acquired queue.
#
#   docker build -t labelfree-worker:1.0.0 .                              # CPU (the tested variant)
#   docker build --build-arg TORCH_VARIANT=cuda \
#                --secret id=nugetconfig,src=nuget.config -t labelfree-worker:1.0.0-cuda .
#
# Base images: .NET 10 ships no Debian images; its default tags are Ubuntu 24.04 "noble". Noble's
# libstdc++ (GCC 14) already has GLIBCXX_3.4.32, so the libLibTorchSharp fix that
# Directory.Build.targets applies on publish is not needed here. It is harmless: it only marks that
# one version requirement weak, and a weak requirement that the system library meets binds exactly
# like a strong one. The same published files therefore run on Debian 12 hosts and in this image.
# See docs/operations.md for how to run the image and what every setting means.

ARG DOTNET_IMAGE_TAG=10.0-noble

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_IMAGE_TAG} AS build
# cpu: libtorch-cpu-linux-x64 (served by nuget.org, tested).
# cuda: the CUDA 12.8 libtorch build; needs a package source that serves it (pass a nuget.config as the
# build secret "nugetconfig") and a node with an NVIDIA driver and the NVIDIA container toolkit.
ARG TORCH_VARIANT=cpu
RUN case "$TORCH_VARIANT" in cpu|cuda) ;; \
      *) echo "TORCH_VARIANT must be cpu or cuda, got '$TORCH_VARIANT'" >&2; exit 1 ;; esac
WORKDIR /src

# Restore layer: only the files that decide the package graph, so editing code does not re-download
# libtorch (about 600 MB). The solution file is left out on purpose: the worker's project and its
# references are all that restore needs, and adding a test project must not invalidate this layer.
COPY Directory.Build.props Directory.Build.targets Directory.Packages.props ./
COPY src/Messages/LabelFree.Messages.csproj src/Messages/
COPY src/Pipeline/LabelFree.Pipeline.csproj src/Pipeline/
COPY src/Simulation/LabelFree.Simulation.csproj src/Simulation/
COPY src/Benchmarks/LabelFree.Benchmarks.csproj src/Benchmarks/
COPY src/Compute/LabelFree.Compute.csproj src/Compute/
COPY src/Worker/LabelFree.Worker.csproj src/Worker/
# The secret is a file only while this step runs, so feed credentials never reach an image layer.
RUN --mount=type=secret,id=nugetconfig \
    if [ -f /run/secrets/nugetconfig ]; then config="--configfile /run/secrets/nugetconfig"; else config=""; fi; \
    dotnet restore src/Worker/LabelFree.Worker.csproj $config -p:TorchVariant=$TORCH_VARIANT

COPY src/ src/
RUN dotnet publish src/Worker/LabelFree.Worker.csproj -c Release -o /app --no-restore -p:TorchVariant=$TORCH_VARIANT
# A project that ignores TorchVariant would quietly produce a CPU image under a -cuda tag.
RUN if [ "$TORCH_VARIANT" = cuda ] && [ ! -e /app/runtimes/linux-x64/native/libtorch_cuda.so ]; then \
      echo "TORCH_VARIANT=cuda but the published app holds no libtorch_cuda.so: does src/Pipeline honour -p:TorchVariant=cuda?" >&2; exit 1; \
    fi

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_IMAGE_TAG} AS runtime
# OpenCvSharp's native library links GTK 3 (libgtk-3-0t64 is noble's name for libgtk-3-0) plus libdrm
# and libatomic, which GTK does not pull in. curl serves HEALTHCHECK only: the aspnet image has none.
# tcmalloc keeps freed tensor memory for reuse instead of faulting fresh pages in for every layer (a third
# less CPU time for a 3D prediction; src/Worker/Hosting/AllocatorLaunch.cs); LD_PRELOAD below loads it, and
# TCMALLOC_RELEASE_RATE=0 keeps it from handing that memory back between stacks.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgtk-3-0t64 libdrm2 libatomic1 libtcmalloc-minimal4t64 curl \
    && rm -rf /var/lib/apt/lists/*

# Read-only root filesystem: everything the process writes goes to /tmp (a tmpfs or emptyDir):
# temporary files, the .NET diagnostics socket, anything that wants a home folder.
ENV TMPDIR=/tmp \
    HOME=/tmp \
    LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 \
    TCMALLOC_RELEASE_RATE=0 \
    LABELFREE__Http__Urls=http://+:8080

WORKDIR /app
COPY --from=build /app .

# The aspnet images' "app" user. Numeric, so Kubernetes' runAsNonRoot can verify it without /etc/passwd.
USER 1654
EXPOSE 8080
# Docker only; Kubernetes ignores HEALTHCHECK and uses the chart's probes on /healthz and /readyz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=5m --retries=3 \
    CMD ["curl", "--fail", "--silent", "--output", "/dev/null", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["dotnet", "labelfree.dll"]
CMD ["serve"]
