# libsecp256k1 0.5.0: the first release with the ellswift module (BIP324), beside schnorrsig,
# extrakeys and recovery, which the crypto addon needs.
package=libsecp256k1
$(package)_version=0.5.0
$(package)_pool=main/libs/libsecp256k1
$(package)_file_name:=libsecp256k1_$($(package)_version).orig.tar.xz
$(package)_sha256_hash=13b70138be52d7a23bdf0ea39ed79799a30eb855f2ed82c028357f6432cd536b
$(package)_config_opts=-DSECP256K1_DISABLE_SHARED=ON -DSECP256K1_INSTALL=ON
$(package)_config_opts+=-DSECP256K1_ENABLE_MODULE_RECOVERY=ON -DSECP256K1_ENABLE_MODULE_EXTRAKEYS=ON
$(package)_config_opts+=-DSECP256K1_ENABLE_MODULE_SCHNORRSIG=ON -DSECP256K1_ENABLE_MODULE_ELLSWIFT=ON
$(package)_config_opts+=-DSECP256K1_ENABLE_MODULE_ECDH=OFF
$(package)_config_opts+=-DSECP256K1_BUILD_BENCHMARK=OFF -DSECP256K1_BUILD_TESTS=OFF -DSECP256K1_BUILD_EXHAUSTIVE_TESTS=OFF
$(package)_config_opts+=-DSECP256K1_BUILD_CTIME_TESTS=OFF -DSECP256K1_BUILD_EXAMPLES=OFF
$(package)_stage_cmds=stage_install && rm -rf "$$stage/lib/pkgconfig"
