# vrrpd as a container image. Build from the repository root:
#   docker build -f docker/vrrpd.Dockerfile -t vrrpd .
# Run with the two capabilities VRRP needs and the host network (or a macvlan, see compose.macvlan.yml):
#   docker run -d --name vrrpd --network host --cap-drop ALL --cap-add NET_ADMIN --cap-add NET_RAW \
#     -v /etc/keepalived/keepalived.conf:/etc/keepalived/keepalived.conf:ro vrrpd
# The configuration is keepalived's, at keepalived's path. Metrics: append `--metrics-listen :9650`.
ARG NODE_IMAGE=node:20-bookworm-slim

# Build stage, as the unprivileged `node` user: the native addon (node-gyp), TypeScript, then only the
# production dependencies.
FROM ${NODE_IMAGE} AS build
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/* \
  && mkdir /src && chown node:node /src
USER node
WORKDIR /src
COPY --chown=node:node package.json package-lock.json binding.gyp tsconfig.json tsconfig.build.json ./
COPY --chown=node:node src ./src
COPY --chown=node:node harness ./harness
COPY --chown=node:node scenarios ./scenarios
COPY --chown=node:node test/bench ./test/bench
COPY --chown=node:node test/matchers ./test/matchers
RUN npm ci && npm prune --omit=dev

# Runtime: the daemon, its addon and production dependencies; iproute2 for notify scripts that call `ip`.
FROM ${NODE_IMAGE}
RUN apt-get update \
  && apt-get install -y --no-install-recommends iproute2 \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/vrrpd
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/build/Release/vrrp_socket.node ./build/Release/
COPY --from=build /src/dist/src ./dist/src
COPY --from=build /src/dist/vrrpd.cjs /src/dist/vrrpd-daemon.cjs ./dist/
# Root inside the container, but only with the capabilities `docker run --cap-add` grants (NET_ADMIN for
# VIPs and routes, NET_RAW for the VRRP and ARP sockets); vrrpd checks for both at start-up.
ENTRYPOINT ["node", "/opt/vrrpd/dist/vrrpd.cjs", "-n", "-l", "-f", "/etc/keepalived/keepalived.conf", "--control-socket", "/run/vrrpd/vrrpd.sock", "-p", "/run/vrrpd/vrrpd.pid"]
