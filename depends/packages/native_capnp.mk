# Cap'n Proto 0.9.2 for the build machine: the schema compiler (capnp) and its C++ plugin
# (capnpc-c++), which mpgen and the C++ interop tests run. 0.9.2 is Debian 12's version, so a
# build from depends and a build against the system packages compile the same API, and the tools
# of either can generate code for the libraries of the other.
package=native_capnp
$(package)_version=0.9.2
$(package)_pool=main/c/capnproto
$(package)_file_name:=capnproto_$($(package)_version).orig.tar.gz
$(package)_sha256_hash=4031e9c9158fce1979baf3c5234315c1be74b273c0be9f6c4aaf4d0dfda52542
$(package)_config_opts=-DBUILD_TESTING=OFF -DWITH_OPENSSL=OFF -DWITH_ZLIB=OFF
$(package)_build_targets=capnp_tool capnpc_cpp capnpc_capnp
$(package)_stage_cmds=stage_capnp_tools
