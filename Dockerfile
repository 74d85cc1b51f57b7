# Concerto: build the release binary, then ship it alone on a slim Debian.
FROM rust:1.95-bookworm AS build
WORKDIR /src
# libpq and SQLite are compiled from the crates (bundled); OpenSSL comes from Debian.
RUN apt-get update && apt-get install -y --no-install-recommends libssl-dev pkg-config && rm -rf /var/lib/apt/lists/*
COPY Cargo.toml Cargo.lock askama.toml build.rs ./
# The build settings (SQLite compiled with its planner stability guarantee).
COPY .cargo .cargo
COPY src src
COPY migrations migrations
COPY config config
COPY frontend frontend
RUN cargo build --release --locked && cp target/release/concerto /usr/local/bin/concerto

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl libssl3 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /var/lib/concerto --create-home concerto
COPY --from=build /usr/local/bin/concerto /usr/local/bin/concerto
COPY config /etc/concerto
ENV CONCERTO_CONFIG_DIR=/etc/concerto \
    CONCERTO_ENV=production \
    CONCERTO_DATA_DIR=/var/lib/concerto
USER concerto
WORKDIR /var/lib/concerto
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD curl -fsS http://127.0.0.1:8080/readyz || exit 1
ENTRYPOINT ["concerto"]
CMD ["serve"]
