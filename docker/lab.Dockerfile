# The image every container of a `--backend docker` run starts from (harness/backends/docker/image.ts
# builds it per run with testcontainers): an empty root file system — mount points, the users and groups
# the daemons switch to — whose bin, sbin, lib and lib64 point into /usr, where the host's /usr is
# bind-mounted read-only. FROM scratch needs no registry, the build takes a fraction of a second, and the
# containers run exactly the binaries the netns backend runs (keepalived, FRR, nginx, node, ip).
# rootfs.tar is generated next to this file in the build context by writeRootfs().
FROM scratch
ADD rootfs.tar /
CMD ["/bin/sh"]
# The run's labels, so `vrrp-lab clean` finds the image of a dead run by its run id. Last: the classic
# builder keeps an intermediate image per step, and only the final one may carry the run's label (removing
# it then prunes its untagged parents).
ARG RUN_ID
ARG RUN_DIR
ARG OWNER
LABEL io.vrrp-lab.run-id=$RUN_ID io.vrrp-lab.run-dir=$RUN_DIR io.vrrp-lab.owner=$OWNER
