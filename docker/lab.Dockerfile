# The image every container of a `--backend docker` run starts from (harness/backends/docker/image.ts
# builds it per run, labelled with the run id): an empty root file system — mount points, the users and
# groups the daemons switch to — whose bin, sbin, lib and lib64 point into /usr, where the host's /usr is
# bind-mounted read-only. FROM scratch needs no registry, the build takes a fraction of a second, and the
# containers run exactly the binaries the netns backend runs (keepalived, FRR, nginx, node, ip).
# rootfs.tar is generated next to this file in the build context by writeRootfs().
FROM scratch
ADD rootfs.tar /
CMD ["/bin/sh"]
