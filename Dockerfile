# swhub's container image (README "Deployment: container image"). Two stages:
#   build: Debian 12 with the toolchain and -dev packages; cmake --install into /out (prefix /usr)
#   run:   debian:12-slim with the runtime libraries only, the hub, its plugins and the example
#          config; the hub runs as the unprivileged user swhub.
#   docker build -t swhub:local .
#   docker run --rm -p 127.0.0.1:8080:8080 swhub:local
# Built and run without a Docker engine too: buildah bud --format docker (README "Container image");
# tests/deploy/check_runtime_packages.py keeps RUNTIME_LIBRARIES equal to what the installed
# binary and plugins link (ldd and dpkg), and runs with every CTest run (deploy_runtime_packages).

FROM debian:12 AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      g++ cmake ninja-build pkg-config libpoco-dev libboost-dev libboost-filesystem-dev \
      libxerces-c-dev libyaml-cpp-dev libssl-dev libsqlite3-dev libpq-dev rapidjson-dev libgoogle-perftools-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSWHUB_BUILD_TESTS=OFF \
      -DCMAKE_INSTALL_PREFIX=/usr \
 && cmake --build /build \
 && DESTDIR=/out cmake --install /build --strip

FROM debian:12-slim
# The Debian packages of every shared library that bin/swhub and lib/.../swhub/plugins/*.so
# link directly (their own dependencies come with them); one per line, kept sorted.
ARG RUNTIME_LIBRARIES="\
 libboost-filesystem1.74.0 \
 libc6 \
 libgcc-s1 \
 libpococrypto80 \
 libpocofoundation80 \
 libpocojson80 \
 libpoconet80 \
 libpoconetssl80 \
 libpq5 \
 libsqlite3-0 \
 libssl3 \
 libstdc++6 \
 libtcmalloc-minimal4 \
 libxerces-c3.2 \
 libyaml-cpp0.7 \
"
# Not libraries, read at run time: CA certificates (push delivery over HTTPS) and zoneinfo
# (hub.accounts.time_zone).
ARG RUNTIME_DATA="ca-certificates tzdata"
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $RUNTIME_LIBRARIES $RUNTIME_DATA \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --user-group --home-dir /var/lib/swhub --shell /usr/sbin/nologin swhub \
 && install -d -o swhub -g swhub -m 0700 /var/lib/swhub /etc/swhub/var
COPY --from=build /out/usr/ /usr/
# The example deployment as the config (replace it: its tokens are published examples), with the
# jurisdiction and licence files it names beside it.
COPY --from=build /out/usr/share/swhub/config/ /etc/swhub/
USER swhub
WORKDIR /var/lib/swhub
VOLUME ["/var/lib/swhub"]
EXPOSE 8080
STOPSIGNAL SIGTERM
# No curl in the slim image: bash's /dev/tcp asks /readyz (200 when the journal is writable).
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /readyz HTTP/1.0\\r\\n\\r\\n' >&3 && head -1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["/usr/bin/swhub"]
CMD ["serve", "--config", "/etc/swhub/hub.yaml", "--listen", "0.0.0.0:8080", "--journal", "sqlite:/var/lib/swhub/journal.db"]
