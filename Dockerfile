# syntax=docker/dockerfile:1
# Build with the official Swift image; run on slim Debian with only the runtime libraries.
FROM swift:6.3-bookworm AS build
# Versions are not pinned: the Debian stable archive only ships security fixes for these.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libsqlite3-dev libssl-dev libpq-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift Package.resolved ./
# The committed pins: the image builds the dependency versions the tests ran with.
RUN swift package resolve --force-resolved-versions
COPY Sources ./Sources
# The migrations are compiled into the binary (Sources/EmbedFilesPlugin); the image needs no copy of them.
COPY migrations ./migrations
# The manifest names the test targets, so their folders must exist for it to load.
COPY Tests ./Tests
# With the PostgreSQL trait: one image runs on its SQLite volume or, given a postgres:// database, as a replica.
RUN swift build -c release --static-swift-stdlib --traits PostgreSQL --product clearance \
    && cp "$(swift build -c release --traits PostgreSQL --show-bin-path)/clearance" /clearance

FROM debian:bookworm-slim
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libsqlite3-0 libssl3 libpq5 libcurl4 libxml2 ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin clearance \
    && mkdir -p /data /app /keys \
    && chown clearance:clearance /data /keys \
    && chmod 700 /keys
COPY --from=build /clearance /app/clearance
ENV CLEARANCE_HOST=0.0.0.0 \
    CLEARANCE_PORT=8080 \
    CLEARANCE_DATABASE=/data/clearance.sqlite \
    CLEARANCE_CHECKPOINT_KEY=/keys/checkpoint-signing.key
USER 10001
WORKDIR /data
# The checkpoint signing key lives apart from the data it vouches for: mount a secret or its own volume at /keys.
VOLUME ["/data", "/keys"]
EXPOSE 8080
# The binary checks its own liveness (/healthz answers 503 when no worker can serve keyed requests).
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["/app/clearance", "healthcheck"]
ENTRYPOINT ["/app/clearance"]
CMD ["serve"]
