# Cap'n Proto libraries for the host (libkj, libkj-async, libcapnp, libcapnp-rpc), from the same
# source as native_capnp. Only the libraries are built: the tools come from native_capnp.
package=capnp
$(package)_version=$(native_capnp_version)
$(package)_pool=$(native_capnp_pool)
$(package)_file_name=$(native_capnp_file_name)
$(package)_sha256_hash=$(native_capnp_sha256_hash)
$(package)_config_opts=-DBUILD_TESTING=OFF -DWITH_OPENSSL=OFF -DWITH_ZLIB=OFF
$(package)_build_targets=kj kj-async capnp capnp-rpc
$(package)_stage_cmds=stage_capnp_libs kj kj-async capnp capnp-rpc
